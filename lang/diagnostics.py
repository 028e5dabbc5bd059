"""Source positions and user-facing diagnostics: what went wrong, where, and a hint.

A `Diagnostic` is the only way a user's mistake is reported. It renders like a good
compiler's message: ``file.sc:12:9: error[E0203]: unknown party 'finacier'``, the
source line, a caret range under the span, and an optional hint. The excerpt is
built only when rendering, so creating diagnostics stays cheap.
"""

from __future__ import annotations

import re

import attrs

__all__ = [
    "Span",
    "Diagnostic",
    "CODES",
    "render",
    "render_all",
    "to_json",
    "closest",
    "edit_distance",
]


@attrs.frozen(slots=True)
class Span:
    """A range of source text: 1-based lines and columns, the end column exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def to(self, other: "Span") -> "Span":
        """The span from the start of this one to the end of `other`."""
        return Span(self.file, self.line, self.column, other.end_line, other.end_column)

    @classmethod
    def point(cls, file: str, line: int, column: int) -> "Span":
        return cls(file, line, column, line, column + 1)


# Stable diagnostic codes, grouped by kind. A code never changes meaning once released.
CODES: dict[str, str] = {
    # E00xx: reading the input
    "E0001": "file cannot be read",
    "E0002": "file is not UTF-8 text",
    "E0003": "input too deeply nested",
    # E01xx: syntax
    "E0101": "unexpected token",
    "E0102": "unexpected end of file",
    "E0103": "unrecognised character",
    "E0104": "malformed literal",
    "E0105": "unterminated text or comment",
    # E02xx: names
    "E0201": "duplicate declaration",
    "E0202": "unknown name",
    "E0203": "unknown party or role",
    "E0204": "unknown type",
    "E0205": "unknown field",
    "E0206": "unknown entry or function",
    "E0207": "unknown contract",
    "E0208": "unknown event",
    "E0209": "unknown module",
    "E0210": "name shadows another",
    "E0211": "unknown enum member",
    # E03xx: types
    "E0301": "type mismatch",
    "E0302": "currency mismatch",
    "E0303": "wrong number of arguments",
    "E0304": "invalid operands",
    "E0305": "not assignable",
    "E0306": "condition is not Bool",
    "E0307": "missing return",
    "E0308": "not callable",
    "E0309": "not iterable",
    "E0310": "missing or duplicate field",
    "E0311": "wrong type arguments",
    "E0312": "invalid statement",
    # E04xx: permissions and purity
    "E0401": "missing `by` clause",
    "E0402": "invalid `by` clause",
    "E0403": "side effect in a pure context",
    "E0404": "invalid `visible to` clause",
    "E0405": "invalid `pays` clause",
    "E0406": "statement not allowed here",
    # E05xx: domain statements
    "E0501": "invalid waterfall tier",
    "E0502": "invalid split",
    "E0503": "duplicate payee",
    # E06xx: scenarios and properties
    "E0601": "invalid scenario step",
    "E0602": "deploy does not match the contract",
    "E0603": "no contract deployed",
    # W06xx: warnings (the file still checks)
    "W0601": "a party named only once in a scenario",
}


@attrs.frozen(slots=True)
class Diagnostic:
    """One problem in the user's input, with where it is and how to fix it."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    notes: tuple[str, ...] = ()
    severity: str = "error"

    def headline(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}{self.severity}[{self.code}]: {self.message}"

    def as_dict(self) -> dict:
        span = self.span
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": span.file if span else None,
            "line": span.line if span else None,
            "column": span.column if span else None,
            "end_line": span.end_line if span else None,
            "end_column": span.end_column if span else None,
            "hint": self.hint,
            "notes": list(self.notes),
        }


_MAX_EXCERPT = 200  # characters of a source line shown; long lines are cut around the span
_MAX_QUOTED = 80  # a quoted name or text longer than this is shortened in messages

# C0 controls other than tab and newline, DEL, and the C1 controls: shown escaped in
# messages and blanked in excerpts, so that no source text can drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LONG_QUOTED = re.compile(r"'([^'\n]{%d,})'" % (_MAX_QUOTED + 1))


def render(source: str | None, diagnostic: Diagnostic) -> str:
    """The diagnostic as a compiler would print it: headline, source line, carets, hint."""
    lines = [_printable(diagnostic.headline())]
    span = diagnostic.span
    if source is not None and span is not None:
        lines.extend(_excerpt(source, span))
    for note in diagnostic.notes:
        lines.append(f"  = note: {_printable(note)}")
    if diagnostic.hint:
        lines.append(f"  = hint: {_printable(diagnostic.hint)}")
    return "\n".join(lines)


def render_all(source: str | None, diagnostics) -> str:
    return "\n\n".join(render(source, d) for d in diagnostics)


def to_json(diagnostics) -> list[dict]:
    return [d.as_dict() for d in diagnostics]


def _printable(text: str) -> str:
    """`text` with control characters escaped and over-long quoted words shortened."""
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if len(text) > _MAX_QUOTED:
        text = _LONG_QUOTED.sub(_shorten_quoted, text)
    return text


def _shorten_quoted(match) -> str:
    word = match.group(1)
    return f"'{word[:_MAX_QUOTED // 2]}...{word[-10:]}' ({len(word)} characters)"


_last_split: tuple[str, list[str]] = ("", [""])


def _source_line(source: str, number: int) -> str | None:
    """Line `number` (1-based) of `source`; the split is kept for the next diagnostic."""
    global _last_split
    cached, lines = _last_split
    if cached is not source:
        lines = source.split("\n")
        _last_split = (source, lines)
    if not 1 <= number <= len(lines):
        return None
    return lines[number - 1]


def _excerpt(source: str, span: Span) -> list[str]:
    line = _source_line(source, span.line)
    if line is None:
        return []
    text = _CONTROL.sub(" ", line.rstrip("\r").expandtabs(1))
    start = min(max(span.column - 1, 0), len(text))
    end = span.end_column - 1 if span.end_line == span.line else len(text)
    end = max(min(end, len(text)), start + 1)
    offset = 0
    if len(text) > _MAX_EXCERPT:
        offset = max(0, start - _MAX_EXCERPT // 4)
        text = text[offset : offset + _MAX_EXCERPT]
    number = str(span.line)
    gutter = " " * len(number)
    shown_end = min(end, offset + _MAX_EXCERPT)
    carets = " " * _width(text[: start - offset]) + "^" * max(1, _width(text[start - offset : shown_end - offset]))
    return [f"{gutter} |", f"{number} | {text}", f"{gutter} | {carets}"]


def _width(text: str) -> int:
    """Columns `text` takes on a terminal: wide East Asian characters 2, combining marks 0."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closest(name: str, candidates) -> str | None:
    """The candidate nearest to `name` by edit distance, if near enough to be a typo."""
    if len(name) > 64:
        return None
    limit = 1 if len(name) <= 3 else 2 if len(name) <= 6 else 3
    best, best_distance = None, limit + 1
    for candidate in sorted(set(candidates)):
        if candidate == name or len(candidate) > 64:
            continue
        distance = edit_distance(name.lower(), candidate.lower(), limit)
        if distance < best_distance:
            best, best_distance = candidate, distance
    return best
