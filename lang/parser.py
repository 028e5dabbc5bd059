"""Text to AST: Lark's LALR parser with the grammar cached, building AST nodes inline.

`parse(source, path)` returns a `Module` or raises `CompileError`. Literals are decoded
while parsing; malformed ones (month 13, three decimals on a EUR amount) become
diagnostics. Lark's syntax errors are translated into the language's own words.

Nesting is bounded (E0003) so that no later stage, walking the tree recursively, can
run out of Python stack: brackets by a pre-scan of the text (skipped outright when a
file has fewer opening brackets than MAX_NESTING), and the depth of blocks,
statements and expressions by the builder as it reduces them (MAX_DEPTH), which also
catches what nests without brackets: `1 + 1 + ...`, `a.b.c...`, `else if` ladders.
Numeric literals are bounded to the 256-bit Int range before any conversion.
"""

from __future__ import annotations

import threading
from importlib import resources

import attrs
import lark
from lark.exceptions import UnexpectedInput

from . import ast
from .diagnostics import Diagnostic, Span
from .errors import CompileError, InternalError
from .builder import MAX_DEPTH, TooDeep, builder as _builder
from .syntax_errors import BRACKET_TOKENS, describe_unexpected

__all__ = ["parse", "parse_expression", "parse_repl_input", "parser_for", "MAX_NESTING", "MAX_DEPTH"]

MAX_NESTING = 200  # brackets open at once: ( [ {
# Levels of blocks, statements and expressions (operators, calls, fields, ...) under an
# entry's body: each nested `if` takes two (the `if` and its block), so does each link
# of an `else if` chain. The checker and the compiler walk the tree recursively; at
# 100 both keep a margin of several hundred Python frames.

_lock = threading.Lock()
_parsers: dict[str, lark.Lark] = {}


def parser_for(start: str = "start") -> lark.Lark:
    """The LALR parser for a start rule, built once per process (the grammar is cached)."""
    parser = _parsers.get(start)
    if parser is None:
        grammar = resources.files(__package__).joinpath("grammar.lark").read_text("utf-8")
        parser = lark.Lark(
            grammar,
            parser="lalr",
            lexer="contextual",
            start=start,
            maybe_placeholders=True,
            transformer=_builder,
            cache=True,
        )
        _parsers[start] = parser
    return parser


_terminal_maps: dict[str, dict] = {}


def _terminal_map(start: str) -> dict:
    if start not in _terminal_maps:
        _terminal_maps[start] = {t.name: t for t in parser_for(start).terminals}
    return _terminal_maps[start]


def parse(source: str, path: str = "<input>") -> ast.Module:
    """Parse a whole `.sc` file; after a syntax error, look for the independent ones after it."""
    try:
        return _run("start", source, path)
    except CompileError as error:
        from .recovery import more_syntax_errors

        first = error.diagnostics
        more = more_syntax_errors(source, path, first[-1], lambda text, name: _run("start", text, name))
        if not more:
            raise
        raise CompileError([*first, *more]) from None


def parse_expression(source: str, path: str = "<input>") -> ast.Expr:
    """Parse a single expression (used by the REPL and the command line)."""
    prefix = 'scenario "" { expect '
    try:
        module = _run("start", f"{prefix}{source}\n}}", path, offset=-len(prefix))
    except CompileError as error:
        raise CompileError([_within(d, source, path) for d in error.diagnostics]) from None
    items = module.items
    if len(items) != 1 or not isinstance(items[0], ast.Scenario) or len(items[0].steps) != 1 \
            or not isinstance(items[0].steps[0], ast.Expect):
        lines = source.split("\n")
        span = Span(path, 1, 1, len(lines), len(lines[-1]) + 1)
        raise CompileError([Diagnostic("E0101", "expected a single expression", span)])
    return items[0].steps[0].condition


def parse_repl_input(source: str, path: str = "<input>") -> tuple:
    """Parse one REPL input: declarations (`contract`, `import`, ...) and scenario steps, in order."""
    return tuple(_run("repl_input", source, path))


def _within(diagnostic: Diagnostic, source: str, path: str) -> Diagnostic:
    """A diagnostic of `parse_expression` moved inside the expression's own text."""
    span = diagnostic.span
    lines = source.split("\n")
    last_line, last_column = len(lines), len(lines[-1]) + 1
    if span is None or (span.line, span.column) <= (last_line, last_column):
        return diagnostic
    message = diagnostic.message
    if message.endswith(", found '}'"):  # the `}` closing the wrapper, not the user's
        message = message[: -len("'}'")] + "the end of the expression"
    return attrs.evolve(diagnostic, message=message, span=Span(path, last_line, last_column, last_line, last_column + 1))


def _run(start: str, source: str, path: str, offset: int = 0):
    too_deep = _check_nesting(source, path, offset)
    if too_deep is not None:
        raise CompileError([too_deep])
    with _lock:
        _builder.begin(path, offset)
        try:
            result = parser_for(start).parse(source)
        except UnexpectedInput as error:
            found = _builder.diagnostics
            _builder.diagnostics = []  # nothing said while describing the error counts
            described = describe_unexpected(error, source, path, _terminal_map(start), offset)
            _builder.diagnostics = found + [described]
            result = None
        except TooDeep as error:
            _builder.diagnostics.append(error.diagnostic)
            result = None
        except RecursionError:
            _builder.diagnostics.append(
                Diagnostic("E0003", "input too deeply nested", Span.point(path, 1, 1),
                           hint="split deeply nested expressions with `let`"))
            result = None
        except (CompileError, InternalError):
            raise
        except Exception as error:  # a bug in a builder method, not the user's input
            _builder.end()
            raise InternalError(f"AST builder failed: {error!r}") from error
        diagnostics = _builder.end()
    if diagnostics:
        raise CompileError(diagnostics)
    if start == "start":
        return ast.Module(path, tuple(result), _module_span(path, source))
    return result


_OPENING = frozenset("([{")
_CLOSING = frozenset(")]}")


def _check_nesting(source: str, path: str, offset: int = 0) -> Diagnostic | None:
    """E0003 at the first bracket opened beyond MAX_NESTING, or None."""
    if source.count("(") + source.count("[") + source.count("{") <= MAX_NESTING:
        return None  # the fast path: every ordinary file
    depth = 0
    for match in BRACKET_TOKENS.finditer(source):
        token = match.group()
        if token in _OPENING:
            depth += 1
            if depth > MAX_NESTING:
                start = match.start()
                line = source.count("\n", 0, start) + 1
                column = start - (source.rfind("\n", 0, start) + 1) + 1
                if line == 1:
                    column += offset
                hint = ("move inner blocks into `fn` helpers" if token == "{"
                        else "split deeply nested expressions into steps with `let`")
                return Diagnostic(
                    "E0003",
                    f"brackets nested too deeply: more than {MAX_NESTING} open at once",
                    Span(path, line, column, line, column + 1),
                    hint=hint,
                )
        elif token in _CLOSING and depth:
            depth -= 1
    return None


def _module_span(path: str, source: str) -> Span:
    lines = source.split("\n")
    return Span(path, 1, 1, len(lines), len(lines[-1]) + 1)
