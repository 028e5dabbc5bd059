"""Fuzzing the front end: whatever the text, `compile_source` returns or raises CompileError.

Two sources of input: programs generated from the grammar itself
(`hypothesis.extra.lark.from_lark`, with realistic literals and names, tokens
separated by blanks), and the example files with tokens deleted, duplicated,
swapped or moved. Anything but a `CheckedModule` or a `CompileError` — an
`InternalError`, a `RecursionError`, any other exception — fails. The default run
is short; `-m slow` runs the same properties much longer.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import lark
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark

from tabellion.lang import compile_source
from tabellion.lang.checked import CheckedModule
from tabellion.lang.diagnostics import CODES
from tabellion.lang.errors import CompileError

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.sc"))
GRAMMAR = resources.files("tabellion.lang").joinpath("grammar.lark").read_text("utf-8")
# A plain parser for the grammar: no inline transformer, only used to list terminals
# and rules for generation.
PLAIN = lark.Lark(GRAMMAR, parser="lalr")
KEYWORDS = {t.pattern.value for t in PLAIN.terminals
            if t.pattern.type == "str" and t.pattern.value.isidentifier()}

# The default run stays within a few seconds; `-m slow` runs twenty times as many.
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
SLOW = settings(max_examples=6000, deadline=None, suppress_health_check=list(HealthCheck))


def compiles_or_reports(source: str) -> None:
    """The property: a CheckedModule, or a CompileError with well-formed diagnostics."""
    try:
        result = compile_source(source, "fuzz.sc")
    except CompileError as error:
        assert error.diagnostics, "a CompileError without diagnostics"
        line_count = source.count("\n") + 1
        for diagnostic in error.diagnostics:
            assert diagnostic.code in CODES, diagnostic
            if diagnostic.span is not None and diagnostic.span.file == "fuzz.sc":
                assert 1 <= diagnostic.span.line <= line_count + 1, diagnostic
                assert diagnostic.span.column >= 1, diagnostic
        return
    assert isinstance(result, CheckedModule)


# ---------------------------------------------------------------- from the grammar

_NAMES = ["alice", "bob", "axa", "meteo", "x", "y", "i", "count", "total", "p", "policies",
          "holder", "amount", "Policy", "Status", "Open", "Int", "Money", "Text", "Bool", "Party",
          "Date", "Duration", "Rate", "Map", "List", "len", "sum", "balance", "caller", "received",
          "now", "block", "append", "get", "C", "Film", "w", "receipts", "premium"]
_currencies = st.sampled_from(["EUR", "EUR", "USD", "JPY", "KWD", "BTC", "XYZ"])
_digits = st.integers(0, 10**6).map(str) | st.sampled_from(["1_000", "0", "100_000", "9" * 80])
_cents = st.sampled_from(["", ".5", ".50", ".05", ".125"])


def _spaced(strategy):
    return strategy.map(lambda text: f" {text} ")


def _name():
    pool = st.sampled_from(_NAMES)
    made = st.from_regex(r"[a-z_][a-z0-9_]{0,6}", fullmatch=True).filter(lambda n: n not in KEYWORDS)
    return st.one_of(pool, pool, made)


def _text():
    pieces = st.sampled_from(list("ab €{}()[]") + ["\\n", "\\\"", "\\u{20AC}", "\\\\"])
    return st.lists(pieces, max_size=8).map(lambda inner: '"' + "".join(inner) + '"')


def explicit_strategies() -> dict:
    """A strategy per terminal: realistic literals and names, every token between blanks."""
    strategies = {}
    for terminal in PLAIN.terminals:
        if terminal.pattern.type == "str":
            strategies[terminal.name] = st.just(f" {terminal.pattern.value} ")
    strategies.update({
        "NAME": _spaced(_name()),
        "INT": _spaced(_digits),
        "DECIMAL": _spaced(st.sampled_from(["1.5", "0.25", "10.0"])),
        "MONEY": _spaced(st.builds(lambda d, c, cur: f"{d}{c} {cur}", _digits, _cents, _currencies)),
        "RATE": _spaced(st.sampled_from(["15%", "2.5%", "100%", "0%", "120%", "0.125%"])),
        "DATE": _spaced(st.sampled_from(["2026-12-01", "2026-01-01", "1970-01-01", "2026-13-01", "2026-02-30"])),
        "TIME": _spaced(st.sampled_from(["2026-12-01T08:00Z", "2026-01-01T00:00:30Z", "2026-12-01T25:00Z"])),
        "DURATION": _spaced(st.sampled_from(["90d", "2h", "2h30m", "1w", "15s", "30m"])),
        "TEXT": _spaced(_text()),
        "WS": st.sampled_from([" ", "\n", "\t", "\r\n"]),
        # Ignored terminals are drawn often between symbols: mostly blanks, some comments.
        "COMMENT": st.sampled_from([" ", " ", " ", " // a comment\n"]),
        "BLOCK_COMMENT": st.sampled_from([" ", " ", " ", " /* a (comment] */ "]),
    })
    return strategies


PROGRAMS = from_lark(PLAIN, start="start", explicit=explicit_strategies())


@FAST
@given(PROGRAMS)
def test_generated_programs(source):
    compiles_or_reports(source)


@pytest.mark.slow
@SLOW
@given(PROGRAMS)
def test_generated_programs_at_length(source):
    compiles_or_reports(source)


# ---------------------------------------------------------------- mutated examples

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|\d[\w.:%-]*(?:[ \t]+[A-Z]{3}\b)?|\w+|->|[=!<>+\-*/%]=|\S')


def tokens_of(source: str) -> list[str]:
    return _TOKEN.findall(source)


_SOURCES = {path.name: path.read_text("utf-8") for path in EXAMPLES}
_TOKENS = {name: tokens_of(text) for name, text in _SOURCES.items()}


@st.composite
def mutated_examples(draw):
    name = draw(st.sampled_from(sorted(_TOKENS)))
    tokens = list(_TOKENS[name])
    for _ in range(draw(st.integers(1, 4))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "move", "replace", "truncate"]))
        if operation == "delete":
            del tokens[i]
        elif operation == "duplicate":
            tokens.insert(i, tokens[i])
        elif operation == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif operation == "move":
            token = tokens.pop(i)
            tokens.insert(draw(st.integers(0, len(tokens))), token)
        elif operation == "replace":
            tokens[i] = draw(st.sampled_from(tokens))
        else:
            tokens = tokens[:i]
    separator = draw(st.sampled_from([" ", "\n"]))
    return separator.join(tokens)


needs_examples = pytest.mark.skipif(not EXAMPLES, reason="no examples/*.sc yet")


@needs_examples
def test_examples_survive_the_token_round_trip():
    for name, source in _SOURCES.items():
        compiles_or_reports("\n".join(_TOKENS[name]))


@needs_examples
@FAST
@given(mutated_examples())
def test_mutated_examples(source):
    compiles_or_reports(source)


@pytest.mark.slow
@needs_examples
@SLOW
@given(mutated_examples())
def test_mutated_examples_at_length(source):
    compiles_or_reports(source)


# ---------------------------------------------------------------- raw text


@FAST
@given(st.lists(st.sampled_from(list("contract{}()[]<>=+-*/%.,:\"\\ \n\t1aZ_€")
                                + ["if ", "else ", "entry ", " EUR", "let ", "/*", "*/", "//"]),
                max_size=120).map("".join))
def test_arbitrary_text(source):
    compiles_or_reports(source)


@pytest.mark.slow
@SLOW
@given(st.text(max_size=400))
def test_arbitrary_unicode_at_length(source):
    compiles_or_reports(source)
