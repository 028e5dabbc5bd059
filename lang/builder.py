"""The AST builder: Lark calls it as the LALR parser reduces each rule, so AST nodes are
built without an intermediate parse tree. It decodes literals (malformed ones become
diagnostics) and bounds the nesting of blocks, statements and expressions
(MAX_DEPTH, E0003) so that no later stage walking the tree can run out of stack.
"""

from __future__ import annotations

import attrs
from lark import Token, Transformer

from . import ast
from . import literals
from .diagnostics import Diagnostic, Span, closest
from .errors import InternalError

__all__ = ["MAX_DEPTH", "INT_MAX", "TooDeep", "builder"]

MAX_DEPTH = 100
INT_MAX = 2**255 - 1  # the largest Int; no literal may exceed it
_MAX_DIGITS = 100  # longer digit runs are refused before converting, whatever their value


_FIELDS: dict[type, tuple[str, ...]] = {}  # node class -> its fields but the span


def _is_else_if(block: ast.Block) -> bool:
    """Whether an `else` block is the one an `else if` makes: a lone If with the same span."""
    return len(block.body) == 1 and isinstance(block.body[0], ast.If) and block.body[0].span == block.span


def _too_deep(span: Span, message: str, hint: str) -> Diagnostic:
    return Diagnostic("E0003", message, Span(span.file, span.line, span.column, span.line, span.column + 1), hint)


class TooDeep(Exception):
    """Raised by the builder to stop the parse at the first over-deep construct."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.message)


class _Builder(Transformer):
    """Builds AST nodes as the LALR parser reduces rules (no intermediate tree)."""

    def begin(self, path: str, offset: int) -> None:
        self.path = path
        self.column_offset = offset
        self.diagnostics: list[Diagnostic] = []
        # id(node) -> nesting depth, for nodes that nest (leaves are absent: depth 0).
        # Every node recorded stays alive in the tree until the parse ends, except
        # those `call_expr` discards, which it removes.
        self.depths: dict[int, int] = {}

    def end(self) -> list[Diagnostic]:
        diagnostics, self.diagnostics = self.diagnostics, []
        self.depths = {}
        return diagnostics

    # -- helpers

    def span(self, first, last=None) -> Span:
        """From the start of `first` to the end of `last` (tokens or nodes).

        Token positions are shifted by the column offset on line 1 (for
        `parse_expression`); a node's span was shifted when it was built.
        """
        if last is None:
            last = first
        offset = self.column_offset
        if isinstance(first, Token):
            line, column = first.line, first.column
            if line == 1:
                column += offset
        else:
            line, column = first.span.line, first.span.column
        if isinstance(last, Token):
            end_line, end_column = last.end_line, last.end_column
            if end_line == 1:
                end_column += offset
        else:
            end_line, end_column = last.span.end_line, last.span.end_column
        return Span(self.path, line, column, end_line, end_column)

    def ident(self, token: Token) -> ast.Ident:
        return ast.Ident(str(token), self.span(token))

    def error(self, code: str, message: str, token, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic(code, message, self.span(token), hint))

    def nest(self, node, depth: int, where=None):
        """Record `node` at `depth`; past MAX_DEPTH, stop the parse with E0003."""
        if depth > MAX_DEPTH:
            raise TooDeep(self.too_deep(node, depth, where))
        self.depths[id(node)] = depth
        return node

    def settle(self, node, where=None):
        """Record a statement (or a part of one) one level deeper than its deepest part."""
        fields = _FIELDS.get(type(node))
        if fields is None:
            fields = _FIELDS[type(node)] = tuple(f.name for f in attrs.fields(type(node)) if f.name != "span")
        depths = self.depths
        deepest = 0
        for name in fields:
            value = getattr(node, name)
            if type(value) is tuple:
                for item in value:
                    depth = depths.get(id(item), 0)
                    if depth > deepest:
                        deepest = depth
            else:
                depth = depths.get(id(value), 0)
                if depth > deepest:
                    deepest = depth
        return self.nest(node, deepest + 1, where)

    def too_deep(self, node, depth: int, where) -> Diagnostic:
        """E0003 for `node`, at what makes it deep: a long expression, an `else if` chain or blocks."""
        depths = self.depths
        for part in self.deepest_path(node):
            part_depth = depth if part is node else depths.get(id(part), 0)
            if part_depth < MAX_DEPTH // 2:
                break
            if isinstance(part, ast.Expr):
                span = self.span(where) if part is node and where is not None else part.span
                return _too_deep(span, f"expression nested too deeply: more than {MAX_DEPTH} levels",
                                 "split the expression into steps with `let`")
            if isinstance(part, ast.If) and part.otherwise is not None and _is_else_if(part.otherwise) \
                    and depths.get(id(part.otherwise), 0) >= depths.get(id(part.then), 0):
                return _too_deep(part.span, f"`else if` chain too long: more than {MAX_DEPTH // 2 - 2} links",
                                 "look the value up in a map, or split the chain into several `if`s")
        span = self.span(where) if where is not None else node.span
        return _too_deep(span, f"blocks and expressions nested too deeply: more than {MAX_DEPTH} levels",
                         "move inner blocks into `fn` helpers, or split expressions into steps with `let`")

    def deepest_path(self, node):
        """`node`, then its deepest part, then that part's deepest part, ... (recorded nodes only)."""
        depths = self.depths
        while node is not None:
            yield node
            fields = _FIELDS.get(type(node)) or tuple(
                f.name for f in attrs.fields(type(node)) if f.name != "span")
            parts = []
            for name in fields:
                value = getattr(node, name)
                parts.extend(value if type(value) is tuple else (value,))
            node = max(parts, key=lambda part: depths.get(id(part), 0), default=None)
            if node is not None and depths.get(id(node), 0) == 0:
                return

    def depth_of_args(self, args) -> int:
        depths = self.depths
        return max((depths.get(id(arg.value), 0) for arg in args), default=0)

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

    def repl_input(self, children):
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

    # Statements and their parts are `settle`d: their nesting depth counts, with that of
    # the expressions in them, toward MAX_DEPTH.

    def block(self, c):
        return self.settle(ast.Block(tuple(c[1:-1]), self.span(c[0], c[-1])), c[0])

    def let_stmt(self, c):
        keyword, name, type_, value = c
        return self.settle(ast.Let(self.ident(name), type_, value, self.span(keyword, value)), keyword)

    def assign_stmt(self, c):
        target, op, value = c
        return self.settle(ast.Assign(target, str(op), value, self.span(target, value)))

    def assign_op(self, c):
        return c[0]

    def expr_stmt(self, c):
        return self.settle(ast.ExprStmt(c[0], c[0].span))

    def if_stmt(self, c):
        keyword, condition, then, _else, otherwise = c
        if isinstance(otherwise, ast.If):
            otherwise = self.settle(ast.Block((otherwise,), otherwise.span))
        return self.settle(ast.If(condition, then, otherwise, self.span(keyword, self.last(c))), keyword)

    def for_stmt(self, c):
        keyword, key, value, iterable, body = c
        value = self.ident(value) if value is not None else None
        return self.settle(ast.For(self.ident(key), value, iterable, body, self.span(keyword, body)), keyword)

    def while_stmt(self, c):
        return self.settle(ast.While(c[1], c[2], self.span(c[0], c[2])), c[0])

    def require_stmt(self, c):
        return self.settle(ast.Require(c[1], c[2], self.span(c[0], self.last(c))), c[0])

    def pay_stmt(self, c):
        return self.settle(ast.Pay(c[1], c[2], self.span(c[0], c[2])), c[0])

    def emit_stmt(self, c):
        return self.settle(ast.Emit(self.ident(c[1]), c[2] or (), self.span(c[0], c[3])), c[0])

    def return_stmt(self, c):
        return self.settle(ast.Return(c[1], self.span(c[0], self.last(c))), c[0])

    def split_stmt(self, c):
        keyword, amount, (shares, close) = c
        return self.settle(ast.Split(amount, shares, None, self.span(keyword, close)), keyword)

    def split_among(self, c):
        keyword, amount, _among, weights = c
        return self.settle(ast.Split(amount, (), weights, self.span(keyword, weights)), keyword)

    def share_block(self, c):
        return tuple(c[1:-1]), c[-1]

    def share(self, c):
        return self.settle(ast.Share(c[0], c[1], self.span(c[0], c[1])))

    def waterfall_stmt(self, c):
        return self.settle(ast.Waterfall(self.ident(c[1]), c[2], tuple(c[3:-1]), self.span(c[0], c[-1])), c[0])

    def fee_tier(self, c):
        keyword, rate, payee, _up, cap = c
        return self.settle(ast.FeeTier(rate, payee, cap, self.span(keyword, self.last(c))), keyword)

    def recoup_tier(self, c):
        return self.settle(ast.RecoupTier(c[1], c[3], self.span(c[0], c[3])), c[0])

    def pari_passu_tier(self, c):
        shares, close = c[2]
        return self.settle(ast.PariPassuTier(shares, self.span(c[0], close)), c[0])

    def split_tier(self, c):
        shares, close = c[1]
        return self.settle(ast.SplitTier(shares, self.span(c[0], close)), c[0])

    def grant_stmt(self, c):
        return self.settle(ast.Grant(self.ident(c[1]), c[2], self.span(c[0], c[2])), c[0])

    def revoke_stmt(self, c):
        return self.settle(ast.Revoke(self.ident(c[1]), c[2], self.span(c[0], c[2])), c[0])

    # -- expressions

    def call_expr(self, c):
        keyword, target, _by, by, _paying, paying = c
        span = self.span(keyword, self.last(c))
        depths = self.depths
        depth = depths.pop(id(target), 0)
        if isinstance(target, ast.Call):
            func = target.func
            depths.pop(id(func), None)
            if isinstance(func, ast.Attribute):
                node = ast.ContractCall(func.obj, func.name, target.args, by, paying, span)
                return self.nest(node, max(depth, depths.get(id(by), 0) + 1, depths.get(id(paying), 0) + 1))
            if isinstance(func, ast.Name):
                node = ast.ContractCall(None, ast.Ident(func.text, func.span), target.args, by, paying, span)
                return self.nest(node, max(depth, depths.get(id(by), 0) + 1, depths.get(id(paying), 0) + 1))
        self.error("E0101", "`call` needs an entry call: `call contract.entry(args)`", target)
        return ast.ContractCall(None, ast.Ident("?", target.span), (), by, paying, span)

    def binary(self, c):
        left, op, right = c
        text = op if isinstance(op, str) and not isinstance(op, Token) else str(op)
        depths = self.depths
        depth = max(depths.get(id(left), 0), depths.get(id(right), 0)) + 1
        return self.nest(ast.Binary(text, left, right, self.span(left, right)), depth, right)

    def comp_op(self, c):
        return "not in" if len(c) == 2 else str(c[0])

    def add_op(self, c):
        return str(c[0])

    mul_op = add_op

    def unary(self, c):
        depth = self.depths.get(id(c[1]), 0) + 1
        return self.nest(ast.Unary(str(c[0]), c[1], self.span(c[0], c[1])), depth, c[0])

    def attribute(self, c):
        depth = self.depths.get(id(c[0]), 0) + 1
        return self.nest(ast.Attribute(c[0], self.ident(c[1]), self.span(c[0], c[1])), depth, c[1])

    def call(self, c):
        args = c[1] or ()
        depth = max(self.depths.get(id(c[0]), 0), self.depth_of_args(args)) + 1
        return self.nest(ast.Call(c[0], args, self.span(c[0], c[2])), depth, c[2])

    def index(self, c):
        depth = max(self.depths.get(id(c[0]), 0), self.depths.get(id(c[1]), 0)) + 1
        return self.nest(ast.Index(c[0], c[1], self.span(c[0], c[2])), depth, c[2])

    def name(self, c):
        return ast.Name(str(c[0]), self.span(c[0]))

    def paren(self, c):
        return c[1]

    def list_lit(self, c):
        items = tuple(x for x in c[1:-1] if x is not None)
        depths = self.depths
        depth = max((depths.get(id(item), 0) for item in items), default=0) + 1
        return self.nest(ast.ListLit(items, self.span(c[0], c[-1])), depth, c[0])

    def map_lit(self, c):
        entries = tuple(x for x in c[1:-1] if x is not None)
        depths = self.depths
        depth = max((max(depths.get(id(e.key), 0), depths.get(id(e.value), 0)) for e in entries), default=0) + 1
        return self.nest(ast.MapLit(entries, self.span(c[0], c[-1])), depth, c[0])

    def map_entry(self, c):
        return ast.MapEntry(c[0], c[1], self.span(c[0], c[1]))

    def args(self, c):
        return tuple(c)

    def named_arg(self, c):
        return self.settle(ast.Arg(self.ident(c[0]), c[1], self.span(c[0], c[1])))

    def positional_arg(self, c):
        return self.settle(ast.Arg(None, c[0], c[0].span))

    # -- literals

    def int_lit(self, c):
        return ast.IntLit(self._whole(c[0].replace("_", ""), c[0]), self.span(c[0]))

    def decimal_lit(self, c):
        shown = c[0] if len(c[0]) <= 40 else f"{c[0][:20]}...{c[0][-10:]}"
        self.error("E0104", f"'{shown}' is a fractional number, and Tabellion has no floating point",
                   c[0], hint=f"write money with its currency (`{shown} EUR`) or a rate (`{shown}%`)")
        return ast.IntLit(0, self.span(c[0]))

    def money_lit(self, c):
        amount, currency = c[0].split()
        try:
            if len(amount) > _MAX_DIGITS:
                raise ValueError(f"amount too large: {len(amount)} digits")
            units = literals.parse_money(amount, currency)
            if units > INT_MAX:
                raise ValueError(f"amount too large: {amount} {currency} is beyond the range of Money (2^255 - 1 minor units)")
        except ValueError as problem:
            hint = None
            if currency not in literals.KNOWN_CURRENCIES:
                guess = closest(currency, literals.KNOWN_CURRENCIES)
                hint = f"did you mean '{guess}'?" if guess else "use an ISO 4217 currency code such as EUR"
            self.error("E0104", str(problem), c[0], hint)
            units = 0
        return ast.MoneyLit(units, currency, self.span(c[0]))

    def rate_lit(self, c):
        number = c[0][:-1]
        if len(number) > _MAX_DIGITS:
            self.error("E0104", f"rate too large: {len(number)} digits", c[0])
            return ast.RateLit(literals.parse_rate("0"), self.span(c[0]))
        value = literals.parse_rate(number)
        if value.numerator > INT_MAX or value.denominator > INT_MAX:
            self.error("E0104", f"rate out of range: '{c[0][:40]}'", c[0])
        return ast.RateLit(value, self.span(c[0]))

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
            if len(token) > _MAX_DIGITS:
                raise ValueError(f"'{token[:20]}...' is too long: {len(token)} characters")
            value = parse(str(token))
            if abs(value) > INT_MAX:
                raise ValueError(f"'{token[:40]}' is out of range")
            return value
        except ValueError as problem:
            self.error("E0104", str(problem), token)
            return 0

    def _whole(self, digits: str, token) -> int:
        """The value of an integer literal, or 0 after an E0104 if it exceeds Int."""
        if len(digits) <= 76:  # below 10**76 < 2**255: the common case, no range test
            return int(digits)
        if len(digits) <= _MAX_DIGITS and int(digits) <= INT_MAX:
            return int(digits)
        shown = token if len(token) <= 24 else f"{token[:10]}...{token[-6:]} ({len(digits)} digits)"
        self.error("E0104", f"number too large: {shown}", token, hint="an Int holds at most 2^255 - 1")
        return 0

    def _text(self, token) -> str:
        try:
            return literals.parse_text(str(token))
        except ValueError as problem:
            self.error("E0104", str(problem), token)
            return ""


builder = _Builder()
