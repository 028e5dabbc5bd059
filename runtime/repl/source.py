"""The text of a REPL session: the module its contracts form, and what was typed.

Contracts reach a session two ways: `:load FILE` and typing them at the prompt. Each
becomes a `Chunk`; the chunks, one after the other, form the session's module, which
is checked and compiled as one file named `<session>`. Each input typed at the prompt
is named `<input-N>`, so that its steps' spans point into what was typed.
`SessionSource.locate` turns a span of the module back into a span of the file or
input it came from, so that diagnostics and failed calls show the user's own text.

Also here: when an input is complete (`needs_more`), and the rewriting that makes
`:as PARTY` explicit (`with_default_caller`).
"""

from __future__ import annotations

import re

import attrs
from tabellion.lang import ast
from tabellion.lang.diagnostics import Span
from tabellion.lang.errors import CompileError

__all__ = [
    "MODULE_PATH",
    "Chunk",
    "SessionSource",
    "needs_more",
    "offset_of",
    "scenario_count",
    "source_slice",
    "with_default_caller",
    "without_scenarios",
]

MODULE_PATH = "<session>"


@attrs.frozen
class Chunk:
    """Contract text from one place: a whole file, or the declarations of one input.

    `text` is what goes into the module; its line 1 is line `first_line` of
    `full_text`, the text the user wrote (the file, or the whole input), with the
    same columns.
    """

    name: str                   # the file's path, or `<input-N>`
    text: str
    full_text: str
    first_line: int = 1
    path: str | None = None     # for a file: reread by `:reload`
    declares: frozenset = frozenset()

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    @classmethod
    def typed(cls, name: str, full_text: str, items) -> Chunk:
        """The chunk of declarations `items` (consecutive, as parsed) in an input."""
        first, last = items[0].span, items[-1].span
        lines = full_text.split("\n")[first.line - 1 : last.end_line]
        lines[-1] = lines[-1][: last.end_column - 1]
        lines[0] = " " * (first.column - 1) + lines[0][first.column - 1 :]
        declares = frozenset(item.name.text for item in items if isinstance(item, ast.Contract))
        return cls(name, "\n".join(lines), full_text, first.line, None, declares)


class SessionSource:
    """The chunks of a session, the texts of its inputs, and the spans between them."""

    def __init__(self, chunks=(), texts: dict | None = None):
        self.chunks: tuple[Chunk, ...] = tuple(chunks)
        self.texts: dict[str, str] = texts if texts is not None else {}
        self.text = "".join(chunk.text + "\n" for chunk in self.chunks)
        self._starts = []
        line = 1
        for chunk in self.chunks:
            self._starts.append(line)
            line += chunk.line_count

    # -- changing (each returns a new SessionSource sharing the input texts)

    def with_file(self, chunk: Chunk) -> SessionSource:
        """This source with `chunk` loaded: replaces the chunk of the same file, or comes last."""
        chunks = list(self.chunks)
        for index, old in enumerate(chunks):
            if old.path is not None and old.path == chunk.path:
                chunks[index] = chunk
                return SessionSource(chunks, self.texts)
        return SessionSource([*chunks, chunk], self.texts)

    def with_typed(self, new: list[Chunk]) -> SessionSource:
        """This source with typed declarations added; a typed contract replaces a typed one of its name."""
        names = set().union(*(chunk.declares for chunk in new))
        kept = [c for c in self.chunks if c.path is not None or not (c.declares and c.declares <= names)]
        return SessionSource([*kept, *new], self.texts)

    @property
    def files(self) -> list[Chunk]:
        return [chunk for chunk in self.chunks if chunk.path is not None]

    # -- spans

    def locate(self, span: Span | None) -> tuple[Span | None, str | None]:
        """`span` moved into the text the user wrote, and that text (None when unknown)."""
        if span is None:
            return None, None
        if span.file in self.texts:
            return span, self.texts[span.file]
        if span.file == MODULE_PATH:
            for chunk, start in zip(reversed(self.chunks), reversed(self._starts)):
                if span.line >= start:
                    shift = chunk.first_line - start
                    last = start + chunk.line_count - 1
                    end_line, end_column = span.end_line, span.end_column
                    if end_line > last:
                        end_line, end_column = last, len(chunk.text.split("\n")[-1]) + 1
                    moved = Span(chunk.name, span.line + shift, span.column, end_line + shift, end_column)
                    return moved, chunk.full_text
            return span, None
        if span.file.startswith("<stdlib>/"):
            from tabellion.lang import load_stdlib

            checked = load_stdlib(span.file[len("<stdlib>/") : -len(".sc")])
            return span, checked.source if checked is not None else None
        return span, None

    def contract_texts(self) -> dict[str, str]:
        """Each declared contract's source text, to tell which ones a reload changed."""
        from tabellion.lang.parser import parse

        found = {}
        for chunk in self.chunks:
            try:
                contracts = parse(chunk.text, chunk.name).of_kind(ast.Contract)
            except CompileError:  # the module was checked whole: a chunk alone always parses
                contracts = ()
            for contract in contracts:
                found[contract.name.text] = source_slice(chunk.text, contract.span)
        return found

    def module_text_for_saving(self) -> str:
        """The session's contracts as one file's text, without their scenarios and properties."""
        parts = []
        for chunk in self.chunks:
            text = without_scenarios(chunk.text, chunk.name).strip("\n")
            if chunk.path is None:
                text = text.strip()
            if text:
                origin = f"from {chunk.path}" if chunk.path else "typed at the prompt"
                parts.append(f"// ---- {origin}\n{text}\n")
        return "\n".join(parts)


# ---------------------------------------------------------------- text helpers


def offset_of(text: str, line: int, column: int) -> int:
    """The string index of a 1-based line and column of `text`."""
    index = 0
    for _ in range(line - 1):
        found = text.find("\n", index)
        if found < 0:
            return len(text)
        index = found + 1
    return min(index + column - 1, len(text))


def source_slice(text: str, span: Span) -> str:
    """The exact text a span covers."""
    return text[offset_of(text, span.line, span.column) : offset_of(text, span.end_line, span.end_column)]


def without_scenarios(text: str, name: str) -> str:
    """`text` with its scenario and property blocks (file level and in contracts) cut out."""
    from tabellion.lang.parser import parse

    try:
        module = parse(text, name)
    except CompileError:  # saved as it is
        return text
    blocks = [item for item in module.items if isinstance(item, (ast.Scenario, ast.Property))]
    for contract in module.of_kind(ast.Contract):
        blocks.extend(m for m in contract.members if isinstance(m, (ast.Scenario, ast.Property)))
    cuts = sorted(((offset_of(text, b.span.line, b.span.column), offset_of(text, b.span.end_line, b.span.end_column))
                   for b in blocks), reverse=True)
    for start, end in cuts:
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip():  # the block starts its line: take the indentation too
            start = line_start
            if text.startswith("\n", end):
                end += 1
        text = text[:start] + text[end:]
    return re.sub(r"\n{3,}", "\n\n", text)


def scenario_count(text: str, name: str) -> int:
    """How many scenario blocks a file holds (file level and in its contracts)."""
    from tabellion.lang.parser import parse

    try:
        module = parse(text, name)
    except CompileError:  # it was checked already; this is only a count
        return 0
    inside = sum(len(contract.of_kind(ast.Scenario)) for contract in module.of_kind(ast.Contract))
    return len(module.of_kind(ast.Scenario)) + inside


_PAYING = re.compile(r"\bpaying\b")


def with_default_caller(text: str, nodes, party: str) -> str | None:
    """`text` with ` by PARTY` added to each top-level call and deploy that names no caller.

    None when nothing needs it. The rewritten text is what the session runs and
    saves, so a saved scenario says who did what.
    """
    inserts = []
    for node in nodes:
        target = node.call if isinstance(node, ast.CallStep) else node.step if isinstance(node, ast.ExpectFails) \
            else node if isinstance(node, ast.Deploy) else None
        if target is None or target.by is not None:
            continue
        if target.paying is not None:
            start = offset_of(text, target.span.line, target.span.column)
            paying = offset_of(text, target.paying.span.line, target.paying.span.column)
            found = list(_PAYING.finditer(text, start, paying))
            if not found:
                continue
            inserts.append((found[-1].start(), f"by {party} "))
        else:
            inserts.append((offset_of(text, target.span.end_line, target.span.end_column), f" by {party}"))
    if not inserts:
        return None
    for index, words in sorted(inserts, reverse=True):
        text = text[:index] + words + text[index:]
    return text


def needs_more(text: str) -> bool:
    """Whether `text` leaves a bracket or a block comment open (so input goes on)."""
    depth = 0
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':
            index += 1
            while index < size and text[index] not in '"\n':
                index += 2 if text[index] == "\\" else 1
        elif text.startswith("//", index):
            found = text.find("\n", index)
            index = size if found < 0 else found
        elif text.startswith("/*", index):
            found = text.find("*/", index + 2)
            if found < 0:
                return True
            index = found + 1
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        index += 1
    return depth > 0
