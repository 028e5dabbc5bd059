"""Finding more than one syntax error in a file.

Lark's LALR parser stops at the first syntax error. To report the independent errors
after it, the declaration that holds the error (an entry, a fn, a state field, a
scenario, ...) is blanked out, keeping every line in place so positions stay true,
and the file is parsed again. Each round must find an error further down the file,
so this ends; at most `MAX_SYNTAX_ERRORS` are reported. An error at the end of the
file (an unclosed bracket) or in a contract's own header stops the search: nothing
after it can be trusted.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic
from .errors import CompileError
from .syntax_errors import BRACKET_TOKENS

__all__ = ["more_syntax_errors", "MAX_SYNTAX_ERRORS"]

MAX_SYNTAX_ERRORS = 10
_RECOVERABLE = {"E0101", "E0103", "E0104", "E0105"}
_MEMBER = re.compile(
    r"\s*(entry|fn|state|param|role|party|record|enum|event|invariant|init|scenario|property|import)\b")


def more_syntax_errors(source: str, path: str, first: Diagnostic, parse) -> list[Diagnostic]:
    """Syntax errors after `first`, found by re-parsing with broken declarations blanked."""
    found: list[Diagnostic] = []
    error = first
    lines = source.split("\n")
    while len(found) + 1 < MAX_SYNTAX_ERRORS and error.code in _RECOVERABLE and error.span is not None:
        region = _declaration_around(lines, error.span.line - 1)
        line = lines[error.span.line - 1] if error.span.line <= len(lines) else ""
        at_first_word = error.span.column == len(line) - len(line.lstrip()) + 1
        if region is not None and region[0] == error.span.line - 1 and region[0] > 0 and at_first_word:
            # the error is at a declaration's first word: the declaration before it is
            # the incomplete one, so blank it too
            before = _declaration_around(lines, region[0] - 1)
            if before is not None:
                region = (before[0], region[0] - 1)
        if region is None:
            break
        start, end = region
        for index in range(start, end + 1):
            lines[index] = ""
        try:
            parse("\n".join(lines), path)
            break
        except CompileError as failure:
            later = [d for d in failure.diagnostics
                     if d.span is not None and (d.span.line - 1) > end and d.code != "E0102"]
            if not later:
                break
            seen = {(d.span, d.message) for d in (first, *found)}
            later = [d for d in later if (d.span, d.message) not in seen]
            if not later:
                break
            found.extend(later)
            error = later[-1]
    return found


def _declaration_around(lines: list[str], index: int) -> tuple[int, int] | None:
    """The first and last line of the declaration holding line `index`, or None."""
    start = index
    while start >= 0 and not _MEMBER.match(lines[start]):
        if lines[start].lstrip().startswith("contract"):
            return None
        start -= 1
    if start < 0:
        return None
    depth, opened = 0, False
    for end in range(start, len(lines)):
        for match in BRACKET_TOKENS.finditer(lines[end]):
            token = match.group()
            if token in "([{":
                depth += 1
                opened = True
            elif token in ")]}":
                depth -= 1
        if opened and depth <= 0:
            return start, end
        if not opened and end + 1 < len(lines) and (_MEMBER.match(lines[end + 1]) or lines[end + 1].strip() == "}"):
            return start, max(end, index)
    return None
