"""Text to AST: Lark's LALR parser with the grammar cached, building AST nodes inline.

`parse(source, path)` returns a `Module` or raises `CompileError`. Literals are decoded
while parsing; malformed ones (month 13, three decimals on a EUR amount) become
diagnostics. Lark's syntax errors are translated into the language's own words.
"""

from __future__ import annotations

import threading
from importlib import resources

import lark
from lark import Token, Transformer
from lark.exceptions import UnexpectedInput

from . import ast
from . import literals
from .diagnostics import Diagnostic, Span, closest
from .errors import CompileError, InternalError
from .syntax_errors import describe_unexpected

__all__ = ["parse", "parse_expression", "parser_for"]

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
    """Parse a whole `.sc` file."""
    return _run("start", source, path)


def parse_expression(source: str, path: str = "<input>") -> ast.Expr:
    """Parse a single expression (used by the REPL and the command line)."""
    module = _run("start", f"scenario \"\" {{ expect {source}\n}}", path, offset=-len('scenario "" { expect '))
    return module.items[0].steps[0].condition


def _run(start: str, source: str, path: str, offset: int = 0):
    with _lock:
        _builder.begin(path, offset)
        try:
            result = parser_for(start).parse(source)
        except UnexpectedInput as error:
            _builder.diagnostics.append(describe_unexpected(error, source, path, _terminal_map(start), offset))
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


def _module_span(path: str, source: str) -> Span:
    lines = source.split("\n")
    return Span(path, 1, 1, len(lines), len(lines[-1]) + 1)


def _pos(item):
    """(line, column, end_line, end_column) of a token or node."""
    if isinstance(item, Token):
        return item.line, item.column, item.end_line, item.end_column
    span = item.span
    return span.line, span.column, span.end_line, span.end_column


class _Builder(Transformer):
    """Builds AST nodes as the LALR parser reduces rules (no intermediate tree)."""

    def begin(self, path: str, offset: int) -> None:
        self.path = path
        self.column_offset = offset
        self.diagnostics: list[Diagnostic] = []

    def end(self) -> list[Diagnostic]:
        diagnostics, self.diagnostics = self.diagnostics, []
        return diagnostics

    # -- helpers

    def span(self, first, last=None) -> Span:
        line, column, _, _ = _pos(first)
        _, _, end_line, end_column = _pos(last if last is not None else first)
        offset = self.column_offset
        return Span(
            self.path,
            line,
            column + offset if line == 1 else column,
            end_line,
            end_column + offset if end_line == 1 else end_column,
        )

    def ident(self, token: Token) -> ast.Ident:
        return ast.Ident(str(token), self.span(token))

    def error(self, code: str, message: str, token, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, self.span(token), hint))

    @staticmethod
    def last(children):
        for child in reversed(children):
            if isinstance(child, tuple) and child:
                return child[-1]
            if child is not None and not isinstance(child, tuple):
                return child
        raise InternalError("empty rule")

    # -- file level

    def start(self, children):
        return children

    def import_decl(self, c):
        return ast.Import(self.ident(c[1]), self.span(c[0], c[1]))

    def contract(self, c):
        return ast.Contract(self.ident(c[1]), tuple(c[2:-1]), self.span(c[0], c[-1]))

    def role_decl(self, c):
        return ast.RoleDecl(self.ident(c[1]), self.span(c[0], c[1]))

    def party_decl(self, c):
        return ast.PartyDecl(self.ident(c[1]), self.span(c[0], c[1]))

    def param_decl(self, c):
        return ast.ParamDecl(self.ident(c[1]), c[2], c[3], self.span(c[0], self.last(c)))

    def state_decl(self, c):
        keyword, name, type_, default, _visible, names = c
        return ast.StateDecl(self.ident(name), type_, default, names, self.span(keyword, self.last(c)))

    def record_decl(self, c):
        return ast.RecordDecl(self.ident(c[1]), tuple(c[2:-1]), self.span(c[0], c[-1]))

    def field_decl(self, c):
        return ast.FieldDecl(self.ident(c[0]), c[1], self.span(c[0], c[1]))

    def enum_decl(self, c):
        members = tuple(self.ident(t) for t in c[2:-1])
        return ast.EnumDecl(self.ident(c[1]), members, self.span(c[0], c[-1]))

    def event_decl(self, c):
        return ast.EventDecl(self.ident(c[1]), c[2] or (), self.span(c[0], c[3]))

    def invariant_decl(self, c):
        return ast.InvariantDecl(c[1], c[2], self.span(c[0], self.last(c)))

    def fn_decl(self, c):
        keyword, name, params, returns, body = c
        return ast.FnDecl(self.ident(name), params or (), returns, body, self.span(keyword, body))

    def entry_decl(self, c):
        keyword, name, params, by, pays, returns, body = c
        return ast.EntryDecl(self.ident(name), params or (), by, pays, returns, body, self.span(keyword, body))

    def by_clause(self, c):
        keyword, who = c
        if isinstance(who, Token):  # `anyone`
            return ast.ByClause(True, (), self.span(keyword, who))
        return ast.ByClause(False, who, self.span(keyword, who[-1]))

    def pays_clause(self, c):
        keyword, amount = c
        if isinstance(amount, Token):  # `any`
            return ast.PaysClause(None, self.span(keyword, amount))
        return ast.PaysClause(amount, self.span(keyword, amount))

    def init_decl(self, c):
        return ast.InitDecl(c[1], self.span(c[0], c[1]))

    def params(self, c):
        return tuple(c)

    def param(self, c):
        return ast.Param(self.ident(c[0]), c[1], self.span(c[0], c[1]))

    def name_list(self, c):
        return tuple(self.ident(t) for t in c)

    def type(self, c):
        name = c[0]
        if c[1] is None:
            return ast.TypeRef(self.ident(name), (), self.span(name))
        return ast.TypeRef(self.ident(name), tuple(c[1:-1]), self.span(name, c[-1]))

    # -- scenarios

    def scenario(self, c):
        return ast.Scenario(self._text(c[1]), tuple(c[2:-1]), self.span(c[0], c[-1]))

    def property(self, c):
        keyword, name, params, _where, condition, *steps, close = c
        return ast.Property(self._text(name), params or (), condition, tuple(steps), self.span(keyword, close))

    def fund_step(self, c):
        return ast.Fund(self.ident(c[1]), c[2], self.span(c[0], c[2]))

    def deploy_step(self, c):
        keyword, name, contract, args, close, _by, by, _paying, paying = c
        return ast.Deploy(
            self.ident(name) if name is not None else None,
            self.ident(contract),
            args or (),
            by,
            paying,
            self.span(keyword, self.last(c)),
        )

    def call_step(self, c):
        return ast.CallStep(c[0], c[0].span)

    def wait_step(self, c):
        return ast.Wait(c[1], self.span(c[0], c[1]))

    def at_step(self, c):
        return ast.At(c[1], self.span(c[0], c[1]))

    def expect_step(self, c):
        return ast.Expect(c[1], self.span(c[0], c[1]))

    def expect_fails(self, c):
        keyword, _fails, step, _with, reason = c
        text = self._text(reason) if reason is not None else None
        return ast.ExpectFails(step, text, self.span(keyword, self.last(c)))

    # -- statements

    def block(self, c):
        return ast.Block(tuple(c[1:-1]), self.span(c[0], c[-1]))

    def let_stmt(self, c):
        keyword, name, type_, value = c
        return ast.Let(self.ident(name), type_, value, self.span(keyword, value))

    def assign_stmt(self, c):
        target, op, value = c
        return ast.Assign(target, str(op), value, self.span(target, value))

    def assign_op(self, c):
        return c[0]

    def expr_stmt(self, c):
        return ast.ExprStmt(c[0], c[0].span)

    def if_stmt(self, c):
        keyword, condition, then, _else, otherwise = c
        if isinstance(otherwise, ast.If):
            otherwise = ast.Block((otherwise,), otherwise.span)
        return ast.If(condition, then, otherwise, self.span(keyword, self.last(c)))

    def for_stmt(self, c):
        keyword, key, value, iterable, body = c
        value = self.ident(value) if value is not None else None
        return ast.For(self.ident(key), value, iterable, body, self.span(keyword, body))

    def while_stmt(self, c):
        return ast.While(c[1], c[2], self.span(c[0], c[2]))

    def require_stmt(self, c):
        return ast.Require(c[1], c[2], self.span(c[0], self.last(c)))

    def pay_stmt(self, c):
        return ast.Pay(c[1], c[2], self.span(c[0], c[2]))

    def emit_stmt(self, c):
        return ast.Emit(self.ident(c[1]), c[2] or (), self.span(c[0], c[3]))

    def return_stmt(self, c):
        return ast.Return(c[1], self.span(c[0], self.last(c)))

    def split_stmt(self, c):
        keyword, amount, (shares, close) = c
        return ast.Split(amount, shares, None, self.span(keyword, close))

    def split_among(self, c):
        keyword, amount, _among, weights = c
        return ast.Split(amount, (), weights, self.span(keyword, weights))

    def share_block(self, c):
        return tuple(c[1:-1]), c[-1]

    def share(self, c):
        return ast.Share(c[0], c[1], self.span(c[0], c[1]))

    def waterfall_stmt(self, c):
        return ast.Waterfall(self.ident(c[1]), c[2], tuple(c[3:-1]), self.span(c[0], c[-1]))

    def fee_tier(self, c):
        keyword, rate, payee, _up, cap = c
        return ast.FeeTier(rate, payee, cap, self.span(keyword, self.last(c)))

    def recoup_tier(self, c):
        return ast.RecoupTier(c[1], c[3], self.span(c[0], c[3]))

    def pari_passu_tier(self, c):
        shares, close = c[2]
        return ast.PariPassuTier(shares, self.span(c[0], close))

    def split_tier(self, c):
        shares, close = c[1]
        return ast.SplitTier(shares, self.span(c[0], close))

    def grant_stmt(self, c):
        return ast.Grant(self.ident(c[1]), c[2], self.span(c[0], c[2]))

    def revoke_stmt(self, c):
        return ast.Revoke(self.ident(c[1]), c[2], self.span(c[0], c[2]))

    # -- expressions

    def call_expr(self, c):
        keyword, target, _by, by, _paying, paying = c
        span = self.span(keyword, self.last(c))
        if isinstance(target, ast.Call):
            func = target.func
            if isinstance(func, ast.Attribute):
                return ast.ContractCall(func.obj, func.name, target.args, by, paying, span)
            if isinstance(func, ast.Name):
                return ast.ContractCall(None, ast.Ident(func.text, func.span), target.args, by, paying, span)
        self.error("E0101", "`call` needs an entry call: `call contract.entry(args)`", target)
        return ast.ContractCall(None, ast.Ident("?", target.span), (), by, paying, span)

    def binary(self, c):
        left, op, right = c
        text = op if isinstance(op, str) and not isinstance(op, Token) else str(op)
        return ast.Binary(text, left, right, self.span(left, right))

    def comp_op(self, c):
        return "not in" if len(c) == 2 else str(c[0])

    def add_op(self, c):
        return str(c[0])

    mul_op = add_op

    def unary(self, c):
        return ast.Unary(str(c[0]), c[1], self.span(c[0], c[1]))

    def attribute(self, c):
        return ast.Attribute(c[0], self.ident(c[1]), self.span(c[0], c[1]))

    def call(self, c):
        return ast.Call(c[0], c[1] or (), self.span(c[0], c[2]))

    def index(self, c):
        return ast.Index(c[0], c[1], self.span(c[0], c[2]))

    def name(self, c):
        return ast.Name(str(c[0]), self.span(c[0]))

    def paren(self, c):
        return c[1]

    def list_lit(self, c):
        items = tuple(x for x in c[1:-1] if x is not None)
        return ast.ListLit(items, self.span(c[0], c[-1]))

    def map_lit(self, c):
        entries = tuple(x for x in c[1:-1] if x is not None)
        return ast.MapLit(entries, self.span(c[0], c[-1]))

    def map_entry(self, c):
        return ast.MapEntry(c[0], c[1], self.span(c[0], c[1]))

    def args(self, c):
        return tuple(c)

    def named_arg(self, c):
        return ast.Arg(self.ident(c[0]), c[1], self.span(c[0], c[1]))

    def positional_arg(self, c):
        return ast.Arg(None, c[0], c[0].span)

    # -- literals

    def int_lit(self, c):
        return ast.IntLit(int(c[0].replace("_", "")), self.span(c[0]))

    def decimal_lit(self, c):
        self.error("E0104", f"'{c[0]}' is a fractional number, and Tabellion has no floating point",
                   c[0], hint=f"write money with its currency (`{c[0]} EUR`) or a rate (`{c[0]}%`)")
        return ast.IntLit(0, self.span(c[0]))

    def money_lit(self, c):
        amount, currency = c[0].split()
        try:
            units = literals.parse_money(amount, currency)
        except ValueError as problem:
            hint = None
            if currency not in literals.KNOWN_CURRENCIES:
                guess = closest(currency, literals.KNOWN_CURRENCIES)
                hint = f"did you mean '{guess}'?" if guess else "use an ISO 4217 currency code such as EUR"
            self.error("E0104", str(problem), c[0], hint)
            units = 0
        return ast.MoneyLit(units, currency, self.span(c[0]))

    def rate_lit(self, c):
        return ast.RateLit(literals.parse_rate(c[0][:-1]), self.span(c[0]))

    def date_lit(self, c):
        return ast.DateLit(self._decode(literals.parse_date, c[0]), self.span(c[0]))

    def time_lit(self, c):
        return ast.TimeLit(self._decode(literals.parse_time, c[0]), self.span(c[0]))

    def duration_lit(self, c):
        return ast.DurationLit(self._decode(literals.parse_duration, c[0]), self.span(c[0]))

    def text_lit(self, c):
        return ast.TextLit(self._text(c[0]), self.span(c[0]))

    def true_lit(self, c):
        return ast.BoolLit(True, self.span(c[0]))

    def false_lit(self, c):
        return ast.BoolLit(False, self.span(c[0]))

    def _decode(self, parse, token):
        try:
            return parse(str(token))
        except ValueError as problem:
            self.error("E0104", str(problem), token)
            return 0

    def _text(self, token) -> str:
        try:
            return literals.parse_text(str(token))
        except ValueError as problem:
            self.error("E0104", str(problem), token)
            return ""


_builder = _Builder()
