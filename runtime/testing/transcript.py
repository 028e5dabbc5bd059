"""The steps a generated test took, kept cheaply while it runs and printed as a `scenario` on failure.

A transcript holds the setup (a scenario's steps before its deploy, as written),
the deploy, then each fund, wait and call. A contract's address among the values
prints as `w.address` (the instance it names), a deploy arg naming an instance as
that instance's name. It renders as a file-level scenario that
`tabellion run` replays: values through `format_value`, every call named by its
instance and caller (`call w.receive("a") by cam paying 100.00 EUR`), a call the
engine refused as `expect fails call ...` with the reason in a comment, and the
failing step marked `// <- ...` so the reader sees where it goes wrong.
"""

from __future__ import annotations

import attrs

from ..values import Party, Record, format_text, format_value, sorted_items

__all__ = ["Transcript", "Setup", "Deployed", "Funded", "Waited", "Called", "source_text"]

INDENT = "    "


def source_text(source: str, span) -> str:
    """The text of `span` in `source`, continuation lines stripped and indented once more."""
    lines = source.split("\n")
    if not 0 < span.line <= len(lines):
        return ""
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :].rstrip()]
    parts += [INDENT + line.strip() for line in lines[span.line : span.end_line - 1] if line.strip()]
    parts.append(INDENT + lines[span.end_line - 1][: span.end_column - 1].strip())
    return "\n".join(parts)


@attrs.frozen
class Setup:
    text: str


@attrs.frozen
class Deployed:
    contract: str
    args: tuple  # ((name, value), ...)
    by: object
    paying: object


@attrs.frozen
class Funded:
    party: object
    amount: object


@attrs.frozen
class Waited:
    duration: object


@attrs.frozen
class Called:
    entry: str
    args: tuple
    caller: object
    paying: object
    ok: bool
    reason: str | None


def format_with(value, aliases: dict) -> str:
    """`format_value`, except that a contract's address prints as `name.address` of its instance."""
    kind = type(value)
    if kind is Party:
        return f"{aliases[value]}.address" if value in aliases else str(value)
    if kind is list:
        return "[" + ", ".join(format_with(item, aliases) for item in value) + "]"
    if kind is dict:
        items = (f"{format_with(k, aliases)}: {format_with(v, aliases)}" for k, v in sorted_items(value))
        return "{" + ", ".join(items) + "}"
    if isinstance(value, Record):
        fields = (f"{name}: {format_with(item, aliases)}" for name, item in zip(value.__record_fields__, value))
        return f"{value.__record_name__}({', '.join(fields)})"
    return format_value(value)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class Transcript:
    """Steps in order; `failing` marks the last one as where the failure shows."""

    def __init__(self, title: str, instance: str, contract_params=()):
        self.title = title
        self.instance = instance
        self.contract_params = frozenset(contract_params)  # deploy args that name an instance
        self.aliases: dict = {}  # contract address -> the scenario's name for that instance
        self.steps: list = []
        self.failing_form: str | None = None  # "call", "expect fails" or None (not a call)
        self.note: str | None = None

    def copy(self) -> "Transcript":
        other = Transcript(self.title, self.instance, self.contract_params)
        other.aliases = dict(self.aliases)
        other.steps = list(self.steps)
        other.failing_form, other.note = self.failing_form, self.note
        return other

    def fail_here(self, form: str | None, note: str) -> "Transcript":
        """A copy whose last step is marked as the failure (`form` says how a call prints)."""
        other = self.copy()
        other.failing_form, other.note = form, note
        return other

    @property
    def step_count(self) -> int:
        return sum(1 for step in self.steps if not isinstance(step, (Setup, Deployed)))

    def lines(self) -> list[str]:
        out = []
        last = len(self.steps) - 1
        for index, step in enumerate(self.steps):
            out.extend(self._render(step, failing=index == last and self.note is not None))
        if self.note is not None and not self.steps:
            out.append(f"// <- {_one_line(self.note)}")
        return out

    def _render(self, step, failing: bool) -> list[str]:
        note = f"   // <- {_one_line(self.note)}" if failing else ""
        if isinstance(step, Setup):
            return [step.text + note]
        aliases = self.aliases
        if isinstance(step, Deployed):
            args = ", ".join(
                f"{name}: {aliases[value] if name in self.contract_params and value in aliases else format_with(value, aliases)}"
                for name, value in step.args)
            text = f"deploy {self.instance} = {step.contract}({args}) by {format_with(step.by, aliases)}"
            if step.paying is not None:
                text += f" paying {format_value(step.paying)}"
            return [text + note]
        if isinstance(step, Funded):
            return [f"fund {step.party} {format_value(step.amount)}" + note]
        if isinstance(step, Waited):
            return [f"wait {format_value(step.duration)}" + note]
        call = self._call_text(step)
        if failing:
            prefix = "expect fails " if self.failing_form == "expect fails" else ""
            return [prefix + call + note]
        if step.ok:
            return [call]
        return [f"expect fails {call}   // {_one_line(step.reason)}"]

    def _call_text(self, step: Called) -> str:
        args = ", ".join(format_with(value, self.aliases) for value in step.args)
        text = f"call {self.instance}.{step.entry}({args}) by {format_with(step.caller, self.aliases)}"
        if step.paying is not None:
            text += f" paying {format_value(step.paying)}"
        return text

    def render(self, failure=None) -> str:
        body = "\n".join(INDENT + line.replace("\n", "\n" + INDENT) for line in self.lines())
        return f"scenario {format_text(self.title)} {{\n{body}\n}}"
