"""What a property test reports: a contract that breaks its promises, or a bug in Tabellion.

The two are kept apart, as the CLI keeps user errors apart from internal errors:

- `ContractFailure`: the contract does something its author ruled out. A declared
  invariant would be broken by a call (the engine refused the call, and that
  refusal *is* the failure: the contract let a caller reach a state its
  invariant forbids), an invariant stopped holding as time passed, a scenario's
  deploy failed, a `property` block failed for some arguments.
- `TabellionBug`: something no contract can cause. The engine raised an internal
  error or a Python exception; money was created or destroyed; a refused call
  left any trace in the state; a caller outside an entry's `by` clause got in.

Both carry the steps that led there (a `Transcript`) and render them as a
`scenario` block to paste into the file.
"""

from __future__ import annotations

__all__ = ["CheckFailed", "ContractFailure", "TabellionBug"]


class CheckFailed(AssertionError):
    """A property test failed: `kind`, a one-line `message`, and the `transcript` that shows it."""

    bug = False

    def __init__(self, kind: str, message: str, transcript=None, detail: tuple = ()):
        self.kind = kind
        self.message = message
        self.transcript = transcript
        self.detail = tuple(detail)
        super().__init__(message)

    @property
    def steps(self) -> int:
        """How many steps the counterexample takes (setup excluded)."""
        return self.transcript.step_count if self.transcript is not None else 0

    def scenario(self) -> str | None:
        """The counterexample as a `scenario` block, or None when there are no steps to show."""
        return self.transcript.render(self) if self.transcript is not None else None

    def __str__(self) -> str:
        text = self.message
        for line in self.detail:
            text += "\n  " + line
        scenario = self.scenario()
        if scenario:
            text += "\n\n" + scenario
        return text


class ContractFailure(CheckFailed):
    """The contract breaks an invariant, a property, or cannot be deployed as its scenario says."""


class TabellionBug(CheckFailed):
    """A failure no contract can cause: report it as a bug in Tabellion."""

    bug = True
