"""Tests for the parser: one test per construct of the grammar, on AST shape and spans.

Spans are written `"line:col"` (the start) or `"line:col-end_line:end_col"` (the end
column exclusive, as in `Span`).
"""

from datetime import date
from fractions import Fraction

import pytest

from tabellion.lang import ast
from tabellion.lang.errors import CompileError
from tabellion.lang.parser import MAX_DEPTH, MAX_NESTING, parse, parse_expression


def at(node) -> str:
    return f"{node.span.line}:{node.span.column}"


def extent(node) -> str:
    s = node.span
    return f"{s.line}:{s.column}-{s.end_line}:{s.end_column}"


def items(source: str):
    return parse(source, "t.sc").items


def members(body: str):
    """The members of `contract C {` + body + `}`; the body starts on line 2."""
    (contract,) = items("contract C {\n" + body + "\n}")
    return contract.members


def member(body: str):
    (only,) = members(body)
    return only


def statements(body: str):
    """The statements of an entry whose body starts on line 3."""
    entry = member("entry e() by anyone {\n" + body + "\n}")
    return entry.body.body


def statement(body: str):
    (only,) = statements(body)
    return only


def steps(body: str):
    """The steps of a file-level scenario whose body starts on line 2."""
    (scenario,) = items('scenario "s" {\n' + body + "\n}")
    return scenario.steps


def step(body: str):
    (only,) = steps(body)
    return only


def expr(source: str):
    return parse_expression(source, "e.sc")


def shape(node) -> str:
    """An expression as a fully parenthesised string: `(a + (b * c))`."""
    if isinstance(node, ast.Binary):
        return f"({shape(node.left)} {node.op} {shape(node.right)})"
    if isinstance(node, ast.Unary):
        space = " " if node.op == "not" else ""
        return f"({node.op}{space}{shape(node.operand)})"
    if isinstance(node, ast.Name):
        return node.text
    if isinstance(node, ast.Attribute):
        return f"{shape(node.obj)}.{node.name.text}"
    if isinstance(node, ast.Index):
        return f"{shape(node.obj)}[{shape(node.index)}]"
    if isinstance(node, ast.Call):
        args = ", ".join((f"{a.name.text}: " if a.name else "") + shape(a.value) for a in node.args)
        return f"{shape(node.func)}({args})"
    if isinstance(node, ast.IntLit):
        return str(node.value)
    if isinstance(node, ast.BoolLit):
        return "true" if node.value else "false"
    raise AssertionError(f"no shape for {node!r}")


# ---------------------------------------------------------------- file level


def test_empty_file_is_an_empty_module():
    module = parse("", "t.sc")
    assert module.items == ()
    assert module.path == "t.sc"


def test_comments_only_file():
    module = parse("// a line comment\n/* a block\n comment */\n", "t.sc")
    assert module.items == ()
    assert extent(module) == "1:1-4:1"


def test_import():
    (imp,) = items("import insurance")
    assert isinstance(imp, ast.Import)
    assert imp.module.text == "insurance"
    assert extent(imp) == "1:1-1:17"
    assert extent(imp.module) == "1:8-1:17"


def test_contract_span_covers_the_closing_brace():
    (contract,) = items("contract Film {\n}\n")
    assert isinstance(contract, ast.Contract)
    assert contract.name.text == "Film"
    assert extent(contract) == "1:1-2:2"
    assert extent(contract.name) == "1:10-1:14"
    assert contract.members == ()


def test_file_items_in_order():
    found = items('import royalties\ncontract A { }\nscenario "s" { }\nproperty "p" () { }\n')
    assert [type(i) for i in found] == [ast.Import, ast.Contract, ast.Scenario, ast.Property]


# ---------------------------------------------------------------- members


def test_role_and_party():
    role, party = members("    role insurer\n    party producer")
    assert isinstance(role, ast.RoleDecl) and role.name.text == "insurer"
    assert extent(role) == "2:5-2:17"
    assert isinstance(party, ast.PartyDecl) and party.name.text == "producer"
    assert extent(party) == "3:5-3:19"


def test_param_without_default():
    param = member("param premium: Money")
    assert isinstance(param, ast.ParamDecl)
    assert param.name.text == "premium"
    assert param.type.name.text == "Money" and param.type.args == ()
    assert param.default is None
    assert extent(param) == "2:1-2:21"


def test_param_with_default():
    param = member("param threshold: Duration = 2h")
    assert isinstance(param.default, ast.DurationLit)
    assert param.default.seconds == 7200
    assert extent(param) == "2:1-2:31"


def test_state_with_generic_type_and_visibility():
    state = member("state policies: Map[Int, Policy] visible to insurer, oracle")
    assert isinstance(state, ast.StateDecl)
    assert state.type.name.text == "Map"
    assert [a.name.text for a in state.type.args] == ["Int", "Policy"]
    assert extent(state.type) == "2:17-2:33"
    assert state.default is None
    assert [n.text for n in state.visible_to] == ["insurer", "oracle"]
    assert extent(state) == "2:1-2:60"


def test_state_with_default_and_no_visibility():
    state = member("state count: Int = 0")
    assert state.visible_to is None
    assert isinstance(state.default, ast.IntLit) and state.default.value == 0
    assert extent(state) == "2:1-2:21"


def test_nested_and_currency_types():
    state = member("state book: Map[Party, List[Money[EUR]]]")
    outer = state.type
    (key, value) = outer.args
    assert key.name.text == "Party"
    assert value.name.text == "List"
    (money,) = value.args
    assert money.name.text == "Money"
    assert [a.name.text for a in money.args] == ["EUR"]
    assert extent(outer) == "2:13-2:41"


@pytest.mark.parametrize("body", [
    "record Policy { holder: Party, flight: Text, paid: Bool }",
    "record Policy { holder: Party flight: Text paid: Bool }",
    "record Policy {\n    holder: Party\n    flight: Text,\n    paid: Bool,\n}",
])
def test_record_commas_are_optional(body):
    record = member(body)
    assert isinstance(record, ast.RecordDecl)
    assert record.name.text == "Policy"
    assert [(f.name.text, f.type.name.text) for f in record.fields] == [
        ("holder", "Party"), ("flight", "Text"), ("paid", "Bool")]
    assert at(record) == "2:1"
    assert record.span.end_column == len(body.split("\n")[-1]) + 1


def test_field_span():
    record = member("record R { amount: Money }")
    (field,) = record.fields
    assert isinstance(field, ast.FieldDecl)
    assert extent(field) == "2:12-2:25"


def test_enum():
    enum = member("enum Status { Open, Paid Closed }")
    assert isinstance(enum, ast.EnumDecl)
    assert [m.text for m in enum.members] == ["Open", "Paid", "Closed"]
    assert extent(enum) == "2:1-2:34"
    assert extent(enum.members[1]) == "2:21-2:25"


def test_event_with_and_without_fields():
    paid, ping = members("event Paid(id: Int, amount: Money)\nevent Ping()")
    assert isinstance(paid, ast.EventDecl)
    assert [(p.name.text, p.type.name.text) for p in paid.fields] == [("id", "Int"), ("amount", "Money")]
    assert extent(paid) == "2:1-2:35"
    assert extent(paid.fields[1]) == "2:21-2:34"
    assert ping.fields == ()


def test_invariant_with_and_without_message():
    bare, explained = members('invariant balance >= 0 EUR\ninvariant total == 0 EUR, "empty"')
    assert isinstance(bare, ast.InvariantDecl)
    assert shape(bare.condition.left) == "balance"
    assert bare.message is None
    assert extent(bare) == "2:1-2:27"
    assert isinstance(explained.message, ast.TextLit) and explained.message.value == "empty"
    assert extent(explained) == "3:1-3:34"


def test_fn_with_params_and_return_type():
    fn = member("fn fee(x: Money, r: Rate) -> Money {\n    return x * r\n}")
    assert isinstance(fn, ast.FnDecl)
    assert fn.name.text == "fee"
    assert [p.name.text for p in fn.params] == ["x", "r"]
    assert fn.returns.name.text == "Money"
    (ret,) = fn.body.body
    assert isinstance(ret, ast.Return) and shape(ret.value) == "(x * r)"
    assert extent(fn) == "2:1-4:2"
    assert extent(fn.body) == "2:36-4:2"


def test_fn_without_params_or_return_type():
    fn = member("fn nothing() { }")
    assert fn.params == () and fn.returns is None and fn.body.body == ()


def test_entry_full_header():
    entry = member("entry buy(flight: Text, day: Date,) by anyone pays premium -> Int {\n}")
    assert isinstance(entry, ast.EntryDecl)
    assert [p.name.text for p in entry.params] == ["flight", "day"]
    assert entry.by.anyone is True and entry.by.principals == ()
    assert extent(entry.by) == "2:37-2:46"
    assert isinstance(entry.pays.amount, ast.Name) and entry.pays.amount.text == "premium"
    assert extent(entry.pays) == "2:47-2:59"
    assert entry.returns.name.text == "Int"
    assert extent(entry) == "2:1-3:2"


def test_entry_by_a_list_and_pays_any():
    entry = member("entry report() by oracle, insurer pays any { }")
    assert entry.by.anyone is False
    assert [p.text for p in entry.by.principals] == ["oracle", "insurer"]
    assert extent(entry.by) == "2:16-2:34"
    assert entry.pays.amount is None
    assert extent(entry.pays) == "2:35-2:43"


def test_entry_without_clauses():
    entry = member("entry ping() { }")
    assert entry.by is None and entry.pays is None and entry.returns is None and entry.params == ()


def test_init():
    init = member("init {\n    count = 1\n}")
    assert isinstance(init, ast.InitDecl)
    (assign,) = init.body.body
    assert isinstance(assign, ast.Assign)
    assert extent(init) == "2:1-4:2"


def test_scenario_and_property_inside_a_contract():
    scenario, prop = members('scenario "inner" { expect true }\nproperty "p" (x: Int) { expect x == x }')
    assert isinstance(scenario, ast.Scenario) and scenario.name == "inner"
    assert isinstance(prop, ast.Property) and [p.name.text for p in prop.params] == ["x"]


# ---------------------------------------------------------------- scenarios


def test_scenario_name_is_decoded_text():
    (scenario,) = items('scenario "a \\"delayed\\" flight" {\n}')
    assert scenario.name == 'a "delayed" flight'
    assert extent(scenario) == "1:1-2:2"
    assert scenario.steps == ()


def test_property_with_where():
    (prop,) = items('property "never overpays" (x: Money, y: Int) where x > 0 EUR {\n    expect true\n}')
    assert isinstance(prop, ast.Property)
    assert prop.name == "never overpays"
    assert [(p.name.text, p.type.name.text) for p in prop.params] == [("x", "Money"), ("y", "Int")]
    assert isinstance(prop.where, ast.Binary) and prop.where.op == ">"
    assert len(prop.steps) == 1
    assert extent(prop) == "1:1-3:2"


def test_property_without_params_or_where():
    (prop,) = items('property "p" () { }')
    assert prop.params == () and prop.where is None and prop.steps == ()


def test_fund():
    fund = step("fund axa 1_000 EUR")
    assert isinstance(fund, ast.Fund)
    assert fund.party.text == "axa"
    assert fund.amount.units == 100_000 and fund.amount.currency == "EUR"
    assert extent(fund) == "2:1-2:19"


def test_deploy_named_with_by_and_paying():
    deploy = step("deploy w = Film(budget: 1_000 EUR, insurer: [axa], producer: studio) by studio paying 10 EUR")
    assert isinstance(deploy, ast.Deploy)
    assert deploy.name.text == "w" and deploy.contract.text == "Film"
    assert [a.name.text for a in deploy.args] == ["budget", "insurer", "producer"]
    assert isinstance(deploy.args[1].value, ast.ListLit)
    assert isinstance(deploy.by, ast.Name) and deploy.by.text == "studio"
    assert deploy.paying.units == 1000
    assert extent(deploy) == "2:1-2:93"


def test_deploy_bare():
    deploy = step("deploy Film()")
    assert deploy.name is None and deploy.args == () and deploy.by is None and deploy.paying is None
    assert extent(deploy) == "2:1-2:14"


def test_call_step_in_a_contract_scenario():
    call = step("call buy(\"AF123\", 2026-12-01) by alice paying 20 EUR")
    assert isinstance(call, ast.CallStep)
    contract_call = call.call
    assert isinstance(contract_call, ast.ContractCall)
    assert contract_call.target is None
    assert contract_call.entry.text == "buy"
    assert [type(a.value) for a in contract_call.args] == [ast.TextLit, ast.DateLit]
    assert contract_call.by.text == "alice"
    assert contract_call.paying.units == 2000
    assert extent(call) == "2:1-2:53"


def test_call_step_on_a_named_instance():
    call = step("call w.receive() by cam").call
    assert isinstance(call.target, ast.Name) and call.target.text == "w"
    assert call.entry.text == "receive"
    assert extent(call.entry) == "2:8-2:15"
    assert call.paying is None


def test_wait_and_at():
    wait, at_step = steps("wait 30d\nat 2026-12-01T08:00Z")
    assert isinstance(wait, ast.Wait) and wait.duration.seconds == 30 * 86_400
    assert extent(wait) == "2:1-2:9"
    assert isinstance(at_step, ast.At)
    assert at_step.time.seconds == (date(2026, 12, 1) - date(1970, 1, 1)).days * 86_400 + 8 * 3600
    assert extent(at_step) == "3:1-3:21"


def test_expect():
    expect = step("expect balance(alice) == 100 EUR")
    assert isinstance(expect, ast.Expect)
    assert shape(expect.condition.left) == "balance(alice)"
    assert extent(expect) == "2:1-2:33"


def test_expect_fails_call_with_reason():
    fails = step('expect fails call report("AF123") by alice with "permission denied"')
    assert isinstance(fails, ast.ExpectFails)
    assert isinstance(fails.step, ast.ContractCall) and fails.step.entry.text == "report"
    assert fails.reason == "permission denied"
    assert extent(fails) == "2:1-2:68"


def test_expect_fails_deploy_without_reason():
    fails = step("expect fails deploy Film(budget: 0 EUR) by studio")
    assert isinstance(fails.step, ast.Deploy)
    assert fails.reason is None
    assert extent(fails) == "2:1-2:50"


def test_let_and_assignment_in_a_scenario():
    let, assign = steps("let before = balance(alice)\nbefore += 1 EUR")
    assert isinstance(let, ast.Let) and let.name.text == "before"
    assert isinstance(assign, ast.Assign) and assign.op == "+="


# ---------------------------------------------------------------- statements


def test_let_untyped_and_typed():
    plain, typed = statements("let x = 1\nlet y: Money = 2 EUR")
    assert isinstance(plain, ast.Let) and plain.type is None and plain.value.value == 1
    assert extent(plain) == "3:1-3:10"
    assert typed.type.name.text == "Money"
    assert extent(typed) == "4:1-4:21"


@pytest.mark.parametrize("op", ["=", "+=", "-=", "*=", "/=", "%="])
def test_assignment_operators(op):
    assign = statement(f"policies[id].paid {op} x")
    assert isinstance(assign, ast.Assign)
    assert assign.op == op
    assert shape(assign.target) == "policies[id].paid"
    assert extent(assign) == f"3:1-3:{len('policies[id].paid ') + len(op) + 3}"


def test_expression_statement_method_call():
    stmt = statement("xs.append(x)")
    assert isinstance(stmt, ast.ExprStmt)
    assert shape(stmt.expr) == "xs.append(x)"
    assert extent(stmt) == "3:1-3:13"


def test_contract_call_statement_with_paying():
    stmt = statement("call token.transfer(a, 1 EUR) paying y")
    assert isinstance(stmt, ast.ExprStmt)
    call = stmt.expr
    assert isinstance(call, ast.ContractCall)
    assert shape(call.target) == "token"
    assert call.entry.text == "transfer"
    assert len(call.args) == 2
    assert call.by is None
    assert shape(call.paying) == "y"
    assert extent(call) == "3:1-3:39"


def test_call_of_a_non_call_is_an_error():
    with pytest.raises(CompileError) as raised:
        statement("call token")
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E0101"
    assert "`call` needs an entry call" in diagnostic.message


def test_if_without_else():
    stmt = statement("if x > 1 {\n    pay x to a\n}")
    assert isinstance(stmt, ast.If)
    assert shape(stmt.condition) == "(x > 1)"
    assert len(stmt.then.body) == 1 and stmt.otherwise is None
    assert extent(stmt) == "3:1-5:2"


def test_if_else():
    stmt = statement("if c { } else { return }")
    assert isinstance(stmt.otherwise, ast.Block)
    (ret,) = stmt.otherwise.body
    assert isinstance(ret, ast.Return)
    assert extent(stmt) == "3:1-3:25"


def test_else_if_is_an_else_block_holding_an_if():
    stmt = statement("if a {\n} else if b {\n} else {\n}")
    inner_block = stmt.otherwise
    assert isinstance(inner_block, ast.Block)
    (inner,) = inner_block.body
    assert isinstance(inner, ast.If)
    assert shape(inner.condition) == "b"
    assert extent(inner) == "4:8-6:2"
    assert inner_block.span == inner.span
    assert isinstance(inner.otherwise, ast.Block) and inner.otherwise.body == ()
    assert extent(stmt) == "3:1-6:2"


def test_for_over_a_list_and_a_map():
    single, pair = statements("for x in xs { }\nfor id, p in policies { }")
    assert isinstance(single, ast.For)
    assert single.key.text == "x" and single.value is None
    assert shape(single.iterable) == "xs"
    assert extent(single) == "3:1-3:16"
    assert (pair.key.text, pair.value.text) == ("id", "p")
    assert extent(pair.value) == "4:9-4:10"


def test_while():
    stmt = statement("while i < 10 {\n    i += 1\n}")
    assert isinstance(stmt, ast.While)
    assert shape(stmt.condition) == "(i < 10)"
    assert extent(stmt) == "3:1-5:2"


def test_require_with_and_without_message():
    bare, explained = statements('require ok\nrequire balance >= payout, "insurance pool exhausted"')
    assert isinstance(bare, ast.Require) and bare.message is None
    assert extent(bare) == "3:1-3:11"
    assert explained.message.value == "insurance pool exhausted"
    assert extent(explained) == "4:1-4:54"


def test_pay():
    stmt = statement("pay payout to p.holder")
    assert isinstance(stmt, ast.Pay)
    assert shape(stmt.amount) == "payout"
    assert shape(stmt.to) == "p.holder"
    assert extent(stmt) == "3:1-3:23"


def test_emit_with_and_without_args():
    paid, ping = statements("emit Paid(id, payout)\nemit Ping()")
    assert isinstance(paid, ast.Emit)
    assert paid.event.text == "Paid"
    assert [shape(a.value) for a in paid.args] == ["id", "payout"]
    assert extent(paid) == "3:1-3:22"
    assert ping.args == ()


def test_return_with_and_without_value():
    bare, valued = statements("return\nreturn x + 1")
    assert isinstance(bare, ast.Return) and bare.value is None
    assert extent(bare) == "3:1-3:7"
    assert shape(valued.value) == "(x + 1)"


def test_split_with_shares():
    stmt = statement("split received { author: 1, composer: 1 publisher: 2, }")
    assert isinstance(stmt, ast.Split)
    assert shape(stmt.amount) == "received"
    assert [(shape(s.payee), shape(s.weight)) for s in stmt.shares] == [
        ("author", "1"), ("composer", "1"), ("publisher", "2")]
    assert stmt.among is None
    assert extent(stmt.shares[0]) == "3:18-3:27"
    assert extent(stmt) == "3:1-3:56"


def test_split_among():
    stmt = statement("split received among holdings")
    assert isinstance(stmt, ast.Split)
    assert stmt.shares == ()
    assert shape(stmt.among) == "holdings"
    assert extent(stmt) == "3:1-3:30"


WATERFALL = """waterfall receipts(received) {
    fee      15% to sales_agent
    recoup   distributor up to 200_000 EUR
    recoup   pari_passu { financier: budget * 120%, gap: 150_000 EUR }
    fee      5% to producer up to 50_000 EUR
    split    { producer: 50, financier: 50 }
}"""


def test_waterfall_and_every_tier():
    stmt = statement(WATERFALL)
    assert isinstance(stmt, ast.Waterfall)
    assert stmt.name.text == "receipts"
    assert shape(stmt.amount) == "received"
    fee, recoup, pari, capped, split = stmt.tiers
    assert isinstance(fee, ast.FeeTier)
    assert fee.rate.value == Fraction(15, 100) and shape(fee.payee) == "sales_agent" and fee.cap is None
    assert extent(fee) == "4:5-4:32"
    assert isinstance(recoup, ast.RecoupTier)
    assert shape(recoup.payee) == "distributor" and recoup.target.units == 20_000_000
    assert extent(recoup) == "5:5-5:43"
    assert isinstance(pari, ast.PariPassuTier)
    assert [shape(s.payee) for s in pari.shares] == ["financier", "gap"]
    assert isinstance(pari.shares[0].weight, ast.Binary)
    assert extent(pari) == "6:5-6:71"
    assert isinstance(capped, ast.FeeTier) and capped.cap.units == 5_000_000
    assert extent(capped) == "7:5-7:45"
    assert isinstance(split, ast.SplitTier)
    assert [shape(s.weight) for s in split.shares] == ["50", "50"]
    assert extent(split) == "8:5-8:45"
    assert extent(stmt) == "3:1-9:2"


def test_grant_and_revoke():
    grant, revoke = statements("grant oracle to p\nrevoke oracle from caller")
    assert isinstance(grant, ast.Grant) and grant.role.text == "oracle" and shape(grant.party) == "p"
    assert extent(grant) == "3:1-3:18"
    assert isinstance(revoke, ast.Revoke) and shape(revoke.party) == "caller"
    assert extent(revoke) == "4:1-4:26"


def test_block_span_and_newlines_are_not_significant():
    entry = member("entry e()\n    by anyone\n{\n    let x =\n        1 +\n        2\n}")
    (let,) = entry.body.body
    assert shape(let.value) == "(1 + 2)"
    assert extent(let) == "5:5-7:10"
    assert extent(entry.body) == "4:1-8:2"


# ---------------------------------------------------------------- expressions


@pytest.mark.parametrize("source, expected", [
    ("a + b * c", "(a + (b * c))"),
    ("a * b + c", "((a * b) + c)"),
    ("a - b - c", "((a - b) - c)"),
    ("a / b % c", "((a / b) % c)"),
    ("a or b and c", "(a or (b and c))"),
    ("a and b or c", "((a and b) or c)"),
    ("a or b or c", "((a or b) or c)"),
    ("not a == b", "(not (a == b))"),
    ("not not a", "(not (not a))"),
    ("not a and b", "((not a) and b)"),
    ("-x.y", "(-x.y)"),
    ("-x * y", "((-x) * y)"),
    ("- -x", "(-(-x))"),
    ("a + b < c * d", "((a + b) < (c * d))"),
    ("a not in m", "(a not in m)"),
    ("k in m and ok", "((k in m) and ok)"),
    ("a != b", "(a != b)"),
    ("a <= b", "(a <= b)"),
    ("a >= b", "(a >= b)"),
    ("a < b", "(a < b)"),
    ("a > b", "(a > b)"),
    ("(a + b) * c", "((a + b) * c)"),
    ("m.get(k, 0)[1].x", "m.get(k, 0)[1].x"),
    ("f(x)(y)", "f(x)(y)"),
    ("xs[i][j]", "xs[i][j]"),
    ("a.b.c", "a.b.c"),
])
def test_precedence(source, expected):
    assert shape(expr(source)) == expected


def test_binary_span_from_left_to_right_operand():
    node = expr("a + b * c")
    assert extent(node) == "1:1-1:10"
    assert extent(node.right) == "1:5-1:10"


def test_unary_spans():
    neg = expr("-x.y")
    assert isinstance(neg, ast.Unary) and neg.op == "-"
    assert extent(neg) == "1:1-1:5"
    assert extent(neg.operand) == "1:2-1:5"
    negation = expr("not a == b")
    assert negation.op == "not"
    assert extent(negation) == "1:1-1:11"


def test_not_in_span():
    node = expr("a not in m")
    assert node.op == "not in"
    assert extent(node) == "1:1-1:11"


def test_parenthesised_expression_keeps_the_inner_span():
    node = expr("(a + b)")
    assert isinstance(node, ast.Binary)
    assert extent(node) == "1:2-1:7"


def test_attribute_index_call_spans():
    node = expr("p.holder")
    assert isinstance(node, ast.Attribute) and node.name.text == "holder"
    assert extent(node) == "1:1-1:9" and extent(node.name) == "1:3-1:9"
    index = expr("policies[id]")
    assert isinstance(index, ast.Index)
    assert extent(index) == "1:1-1:13"
    call = expr("len(xs)")
    assert isinstance(call, ast.Call)
    assert extent(call) == "1:1-1:8"


def test_record_construction_positional():
    call = expr("Policy(caller, flight, day, false)")
    assert isinstance(call, ast.Call)
    assert shape(call.func) == "Policy"
    assert all(arg.name is None for arg in call.args)
    assert [shape(a.value) for a in call.args] == ["caller", "flight", "day", "false"]
    assert extent(call.args[1]) == "1:16-1:22"


def test_record_construction_named():
    call = expr("Policy(holder: caller, paid: false,)")
    assert [a.name.text for a in call.args] == ["holder", "paid"]
    assert extent(call.args[0]) == "1:8-1:22"
    assert extent(call.args[0].name) == "1:8-1:14"
    assert extent(call) == "1:1-1:37"


def test_contract_call_expression_with_paying():
    call = expr("call x.e(1, y: 2) paying y")
    assert isinstance(call, ast.ContractCall)
    assert shape(call.target) == "x"
    assert call.entry.text == "e"
    assert [a.name.text if a.name else None for a in call.args] == [None, "y"]
    assert shape(call.paying) == "y"
    assert call.by is None
    assert extent(call) == "1:1-1:27"


def test_contract_call_binds_looser_than_or():
    call = expr("call x.e() paying a or b")
    assert isinstance(call, ast.ContractCall)
    assert shape(call.paying) == "(a or b)"


def test_list_literals():
    empty = expr("[]")
    assert isinstance(empty, ast.ListLit) and empty.items == ()
    assert extent(empty) == "1:1-1:3"
    items_ = expr("[1, 2, 3,]")
    assert [i.value for i in items_.items] == [1, 2, 3]
    assert extent(items_) == "1:1-1:11"


def test_map_literals():
    empty = expr("{}")
    assert isinstance(empty, ast.MapLit) and empty.entries == ()
    node = expr('{"a": 1, "b": 2,}')
    assert [(e.key.value, e.value.value) for e in node.entries] == [("a", 1), ("b", 2)]
    assert extent(node.entries[1]) == "1:10-1:16"
    assert extent(node) == "1:1-1:18"


# ---------------------------------------------------------------- literals


@pytest.mark.parametrize("source, kind, field, value", [
    ("0", ast.IntLit, "value", 0),
    ("1_000_000", ast.IntLit, "value", 1_000_000),
    ("true", ast.BoolLit, "value", True),
    ("false", ast.BoolLit, "value", False),
    ("1_250.50 EUR", ast.MoneyLit, "units", 125_050),
    ("12 EUR", ast.MoneyLit, "units", 1_200),
    ("0.5 USD", ast.MoneyLit, "units", 50),
    ("1_000 JPY", ast.MoneyLit, "units", 1_000),
    ("1.234 KWD", ast.MoneyLit, "units", 1_234),
    ("15%", ast.RateLit, "value", Fraction(15, 100)),
    ("2.5%", ast.RateLit, "value", Fraction(1, 40)),
    ("120%", ast.RateLit, "value", Fraction(6, 5)),
    ("2026-12-01", ast.DateLit, "days", (date(2026, 12, 1) - date(1970, 1, 1)).days),
    ("1970-01-01", ast.DateLit, "days", 0),
    ("2026-12-01T08:00Z", ast.TimeLit, "seconds", ((date(2026, 12, 1) - date(1970, 1, 1)).days * 86_400 + 8 * 3600)),
    ("1970-01-01T00:00:30Z", ast.TimeLit, "seconds", 30),
    ("90d", ast.DurationLit, "seconds", 90 * 86_400),
    ("2h", ast.DurationLit, "seconds", 7_200),
    ("2h30m", ast.DurationLit, "seconds", 9_000),
    ("1w", ast.DurationLit, "seconds", 604_800),
    ("15s", ast.DurationLit, "seconds", 15),
    ('"plain"', ast.TextLit, "value", "plain"),
    ('""', ast.TextLit, "value", ""),
    ('"a\\nb\\t\\"q\\" \\\\"', ast.TextLit, "value", 'a\nb\t"q" \\'),
    ('"\\u{20AC}"', ast.TextLit, "value", "\u20ac"),
    ('"caf\u00e9 \u65e5\u672c"', ast.TextLit, "value", "caf\u00e9 \u65e5\u672c"),
])
def test_literal_values(source, kind, field, value):
    node = expr(source)
    assert isinstance(node, kind)
    assert getattr(node, field) == value
    assert extent(node) == f"1:1-1:{len(source) + 1}"


def test_money_keeps_its_currency():
    node = expr("3 USD")
    assert node.currency == "USD"


def test_money_with_tabs_between_amount_and_currency():
    node = expr("3\tEUR")
    assert isinstance(node, ast.MoneyLit) and node.units == 300


def test_largest_int_literal_is_accepted():
    node = expr(str(2**255 - 1))
    assert node.value == 2**255 - 1


# ---------------------------------------------------------------- comments


def test_comments_are_ignored_everywhere():
    source = """// header
contract C { // trailing
    /* before */ role r /* between */
    entry e() by r {
        let x = 1 + /* inside an expression */ 2 // after
    }
}
"""
    (contract,) = items(source)
    role, entry = contract.members
    assert extent(role) == "3:18-3:24"
    (let,) = entry.body.body
    assert shape(let.value) == "(1 + 2)"


def test_comment_markers_inside_text_are_text():
    node = expr('"http://example.com /* not a comment */"')
    assert node.value == "http://example.com /* not a comment */"


# ---------------------------------------------------------------- parse_expression


def test_parse_expression_rejects_more_than_one_expression():
    with pytest.raises(CompileError) as raised:
        expr('1 } scenario "x" { expect 2')
    assert raised.value.diagnostics[0].message == "expected a single expression"


def test_parse_expression_errors_point_inside_the_expression():
    with pytest.raises(CompileError) as raised:
        expr("1 +")
    (diagnostic,) = raised.value.diagnostics
    assert (diagnostic.span.line, diagnostic.span.column) == (1, 4)
    assert diagnostic.message == "expected an expression after '1 +', found the end of the expression"


# ---------------------------------------------------------------- limits


def test_nesting_up_to_the_limit_parses():
    depth = MAX_NESTING - 1
    node = expr("(" * depth + "1" + ")" * depth)
    assert isinstance(node, ast.IntLit)


def test_a_long_chain_below_the_depth_limit_parses():
    node = expr(" + ".join(["1"] * MAX_DEPTH))
    assert isinstance(node, ast.Binary)


def test_else_if_chain_below_the_limit_parses():
    chain = "if a { }" + " else if a { }" * (MAX_DEPTH // 2 - 2)  # each link is an If and a Block
    stmt = statement(chain)
    assert isinstance(stmt, ast.If)


def test_nested_blocks_below_the_limit_parse():
    depth = MAX_DEPTH // 2 - 1
    stmt = statement("if a {\n" * depth + "}\n" * depth)
    assert isinstance(stmt, ast.If)


def test_an_expression_in_nested_blocks_shares_the_budget():
    depth = MAX_DEPTH // 4
    statement("if a {\n" * depth + "let x = " + " + ".join(["1"] * (MAX_DEPTH // 2 - 4)) + "\n" + "}\n" * depth)
    with pytest.raises(CompileError) as raised:
        statement("if a {\n" * depth + "let x = " + " + ".join(["1"] * (MAX_DEPTH // 2 + 4)) + "\n" + "}\n" * depth)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E0003"
    assert diagnostic.message == f"expression nested too deeply: more than {MAX_DEPTH} levels"
    assert diagnostic.span.line == 3 + depth and diagnostic.span.column == 9


def test_brackets_in_texts_and_comments_do_not_count_as_nesting():
    opened = "(" * (MAX_NESTING + 10)
    source = f'contract C {{\n    // {opened}\n    /* {opened} */\n    entry e() by anyone {{ let t = "{opened}" }}\n}}\n'
    (contract,) = items(source)
    assert len(contract.members) == 1


def test_every_node_has_a_span_in_the_file():
    source = "contract C {\n" + "\n".join([
        "role r", "param p: Money = 1 EUR", "state s: Map[Int, Int] visible to r",
        "record R { a: Int }", "enum E { A }", "event V(a: Int)", "invariant true",
        "fn f(a: Int) -> Int { return a }",
        "entry e(a: Int) by r pays any -> Int { let x = [1, 2] " + WATERFALL + " return -a }",
        "init { s[1] = 2 }",
    ]) + '\n}\nscenario "s" { fund a 1 EUR deploy c = C() call c.e(1) wait 1d expect fails call c.e(2) }\n'
    module = parse(source, "t.sc")
    seen = 0
    stack = [module]
    while stack:
        node = stack.pop()
        if isinstance(node, tuple):
            stack.extend(node)
            continue
        if not isinstance(node, ast.Node):
            continue
        seen += 1
        span = node.span
        assert span.file == "t.sc"
        assert 1 <= span.line <= span.end_line
        assert span.column >= 1 and span.end_column >= 1
        if span.line == span.end_line:
            assert span.column < span.end_column, node
        for field in type(node).__attrs_attrs__:
            if field.name != "span":
                stack.append(getattr(node, field.name))
    assert seen > 60
