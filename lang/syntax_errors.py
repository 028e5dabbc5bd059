"""Lark's parse failures retold in the language's own words.

Lark reports terminal names (`RBRACE`, `__ANON_3`); users should read
"expected an expression or '}' after 'total +'". Sets of expected terminals are
summarised by what they start (an expression, a statement, a declaration).
"""

from __future__ import annotations

import re

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from .diagnostics import Diagnostic, Span

__all__ = ["describe_unexpected", "open_brackets", "BRACKET_TOKENS"]

_PATTERN_WORDS = {
    "NAME": "a name",
    "INT": "a number",
    "DECIMAL": "a number",
    "MONEY": "an amount of money",
    "RATE": "a rate",
    "DATE": "a date",
    "TIME": "a time",
    "DURATION": "a duration",
    "TEXT": "a text in double quotes",
    "$END": "the end of the file",
}
_EXPRESSION_START = {"INT", "MONEY", "RATE", "DATE", "TIME", "DURATION", "TEXT", "TRUE", "FALSE", "LSQB", "LPAR", "MINUS", "NOT"}
_STATEMENT_START = {"LET", "IF", "FOR", "WHILE", "REQUIRE", "PAY", "EMIT", "RETURN", "SPLIT", "WATERFALL", "GRANT", "REVOKE"}
_MEMBER_START = {"ROLE", "PARTY", "PARAM", "STATE", "RECORD", "ENUM", "EVENT", "INVARIANT", "FN", "ENTRY", "INIT"}
_STEP_START = {"FUND", "DEPLOY", "WAIT", "AT", "EXPECT"}
_TIER_START = {"FEE", "RECOUP"}
_ASSIGNMENTS = {"=", "+=", "-=", "*=", "/=", "%="}
_OPERATORS = {"==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "and", "or", "in", "not", ".", "(", "["}


def describe_unexpected(error: UnexpectedInput, source: str, path: str, terminals, offset: int = 0) -> Diagnostic:
    """A diagnostic for a Lark parse failure; `terminals` maps terminal names to definitions."""
    line, column = max(error.line, 1), max(error.column, 1)
    if line == 1:
        column += offset
    if isinstance(error, UnexpectedCharacters):
        return _unexpected_character(error, source, path, line, column)
    accepted = _accepted(error)
    expected = _summarise(accepted, terminals)
    position = getattr(error, "pos_in_stream", None) or 0
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END"):
        line, column = _end_position(source)
        message = f"unexpected end of file: expected {expected}"
        return Diagnostic("E0102", message, Span.point(path, line, column), hint=_eof_hint(source))
    start = token.start_pos if token.start_pos is not None else position
    if source.startswith("/*", start):  # `/` lexed as division: a comment never closed
        return _unterminated_comment(path, line, column)
    found = str(token)
    width = max(len(found), 1)
    end_line = getattr(token, "end_line", None) or line
    end_column = getattr(token, "end_column", None) or column + width
    if end_line == 1:
        end_column += offset
    swallowed = _swallowed_keyword(source, start, path, offset)
    if swallowed is not None:
        return swallowed
    before = _previous_text(source, start, max(0, -offset))
    after = f" after '{before}'" if before else ""
    message = f"expected {expected}{after}, found {_show(found, token.type)}"
    hint = _hint(found, {_display(name, terminals) for name in accepted})
    return Diagnostic("E0101", message, Span(path, line, column, end_line, end_column), hint=hint)


_LINE_STARTERS = frozenset(
    "entry fn state param role party record enum event invariant init scenario property contract import "
    "let if for while require pay emit return split waterfall grant revoke call fund deploy wait at expect".split())
_UNFINISHED = re.compile(r"([=+\-*/%,(\[<>:]|\b(and|or|not|in|to|by|paying|pays|up))\s*$")
_WORD_BEFORE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*$")


def _swallowed_keyword(source: str, start: int, path: str, offset: int) -> Diagnostic | None:
    """Keywords are soft, so `state s: Int =` followed by `entry f()` reads `entry` as the
    value and fails at `f`. When the word just before the failure starts its line and is
    a keyword, the previous line is what is incomplete: say so, at that keyword."""
    line_start = source.rfind("\n", 0, start) + 1
    match = _WORD_BEFORE.search(source, line_start, start)
    if match is None or match.group(1) not in _LINE_STARTERS or source[line_start:match.start()].strip():
        return None
    if line_start == 0:
        return None
    before = _previous_text(source, line_start - 1, 0)
    if not before or not _UNFINISHED.search(before):
        return None
    line = source.count("\n", 0, match.start()) + 1
    column = match.start() - line_start + 1 + (offset if line == 1 else 0)
    word = match.group(1)
    return Diagnostic("E0101", f"'{word}' cannot continue '{before}': the line before is incomplete",
                      Span(path, line, column, line, column + len(word)),
                      hint=f"finish the line before; '{word}' then starts a new {'declaration' if word in _DECLARATIONS else 'statement'}")


_DECLARATIONS = frozenset("entry fn state param role party record enum event invariant init scenario property contract import".split())


def _accepted(error) -> set[str]:
    """What the parser would have taken here (the lexer's own list is far wider)."""
    parser = getattr(error, "interactive_parser", None)
    if parser is not None:
        try:
            return set(parser.accepts())
        except Exception:  # accepts() replays the parser; any failure falls back below
            pass
    return set(error.expected or ())


def _display(name: str, terminals) -> str | None:
    if name in _PATTERN_WORDS:
        return _PATTERN_WORDS[name]
    terminal = terminals.get(name)
    if terminal is not None and isinstance(terminal.pattern, PatternStr):
        return f"'{terminal.pattern.value}'"
    if name.startswith("__") or name in {"COMMENT", "BLOCK_COMMENT", "WS"}:
        return None
    return f"'{name.lower()}'"


def _summarise(expected: set[str], terminals) -> str:
    words: list[str] = []
    remaining = set(expected)
    for group, word in (
        (_MEMBER_START, "a declaration (role, param, state, entry, ...)"),
        (_STATEMENT_START, "a statement"),
        (_STEP_START, "a scenario step (deploy, call, expect, ...)"),
        (_EXPRESSION_START, "an expression"),
        (_TIER_START, "a waterfall tier (fee, recoup, split)"),
    ):
        if group is _EXPRESSION_START and not remaining & {"INT", "TEXT", "MONEY"}:
            continue
        if len(remaining & group) >= min(3, len(group)):
            words.append(word)
            remaining -= group
            if word == "an expression" or word == "a statement":
                remaining -= {"NAME", "CALL", "LBRACE", "DECIMAL"}
    shown = {_display(name, terminals) for name in remaining}
    shown.discard(None)
    assignments = {s for s in shown if s.strip("'") in _ASSIGNMENTS}
    if len(assignments) >= 3:
        shown -= assignments
        words.append("an assignment ('=', '+=', ...)")
    operators = {s for s in shown if s.strip("'") in _OPERATORS}
    if len(operators) >= 4 or (assignments and len(operators) >= 2):
        shown -= operators
        words.append("an operator")
    words.extend(sorted(shown, key=lambda s: (not s.startswith("a"), s)))
    if not words:
        return "something else"
    if len(words) > 6:
        words = words[:6] + ["..."]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _show(found: str, kind: str) -> str:
    if kind in _PATTERN_WORDS and kind != "NAME":
        return f"{_PATTERN_WORDS[kind]} '{found[:40]}'"
    return f"'{found[:40]}'"


_COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


def _hint(found: str, expected) -> str | None:
    if found == "=" and "'=='" in expected:
        return "to compare, write '=='; to assign, write the assignment on its own line"
    if found in _COMPARISONS and "'and'" in expected:
        return "comparisons do not chain: write 'a < b and b < c'"
    if found == "==" and "'='" in expected:
        return "to assign, write '='"
    if found in {"&&", "&"}:
        return "write 'and'"
    if found in {"||", "|"}:
        return "write 'or'"
    if found == ";":
        return "statements end at the end of the line; no ';' is needed"
    return None


def _unexpected_character(error: UnexpectedCharacters, source: str, path: str, line: int, column: int) -> Diagnostic:
    char = source[error.pos_in_stream] if error.pos_in_stream < len(source) else ""
    span = Span(path, line, column, line, column + 1)
    if char == '"':
        return Diagnostic("E0105", "unterminated text: a '\"' with no closing '\"' on the same line", span,
                          hint="texts cannot span lines; write \\n for a line break")
    if source.startswith("/*", error.pos_in_stream):
        return _unterminated_comment(path, line, column)
    if char == "&":
        return Diagnostic("E0103", "unexpected character '&'", span, hint="write 'and'")
    if char == "|":
        return Diagnostic("E0103", "unexpected character '|'", span, hint="write 'or'")
    if char == "'":
        return Diagnostic("E0103", "unexpected character \"'\"", span, hint='texts are written in double quotes: "like this"')
    if char.isdigit():
        word = re.match(r"[\w.%-]+", source[error.pos_in_stream:])
        text = word.group(0)[:40] if word else char
        return Diagnostic("E0104", f"malformed number '{text}'", span,
                          hint="numbers are 1_000, money 12.50 EUR, rates 2.5%, durations 90d, dates 2026-12-01")
    shown = repr(char)[1:-1] if char.isprintable() else f"U+{ord(char):04X}" if char else "end of file"
    return Diagnostic("E0103", f"unexpected character '{shown}'", span)


def _unterminated_comment(path: str, line: int, column: int) -> Diagnostic:
    return Diagnostic("E0105", "unterminated comment: '/*' with no closing '*/'", Span(path, line, column, line, column + 2),
                      hint="close it with '*/', or use '//' for a comment to the end of the line")


def _previous_text(source: str, position: int, floor: int = 0) -> str:
    """Up to about 25 characters before `position` on its line (not before `floor`), cut between words."""
    text = source[max(floor, position - 60):position].rstrip()
    text = text.split("\n")[-1].strip()
    if len(text) <= 25:
        return text
    tail = text[-25:]
    cut = tail.find(" ")
    return tail[cut + 1:] if 0 <= cut < len(tail) - 1 else tail


def _end_position(source: str) -> tuple[int, int]:
    stripped = source.rstrip()
    lines = stripped.split("\n")
    return len(lines), len(lines[-1]) + 1


# Brackets, and the texts and comments whose brackets do not count. An unterminated
# text or comment runs to the end of its line or of the file, so a scan with this
# pattern stays linear on any input.
BRACKET_TOKENS = re.compile(r'[()\[\]{}]|"(?:[^"\\\n]|\\.)*"?|//[^\n]*|/\*(?:[\s\S]*?\*/|[\s\S]*)')
_CLOSER = {"(": ")", "[": "]", "{": "}"}


def open_brackets(source: str) -> list[tuple[str, int]]:
    """The brackets still open at the end of `source`, outermost first: (bracket, offset)."""
    stack: list[tuple[str, int]] = []
    for match in BRACKET_TOKENS.finditer(source):
        token = match.group()
        if token in _CLOSER:
            stack.append((token, match.start()))
        elif token in (")", "]", "}") and stack and _CLOSER[stack[-1][0]] == token:
            stack.pop()
    return stack


def _eof_hint(source: str) -> str | None:
    stack = open_brackets(source)
    if not stack:
        return None
    bracket, start = stack[-1]
    line = source.count("\n", 0, start) + 1
    column = start - (source.rfind("\n", 0, start) + 1) + 1
    hint = f"the '{bracket}' on line {line}, column {column} is not closed"
    if len(stack) > 1:
        hint += f" ({len(stack)} brackets are open)"
    return hint
