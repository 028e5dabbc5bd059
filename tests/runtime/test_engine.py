"""Semantics of the engine, construct by construct, through real contracts."""

from __future__ import annotations

import pytest

from tabellion.runtime.numeric import Money, Rate
from tabellion.runtime.receipts import OUT_OF_GAS, REVERTED
from tabellion.runtime.temporal import Date, Duration
from tabellion.runtime.values import Party


def value_of(sandbox, body: str, returns: str, *, prelude: str = "", params: str = ""):
    """Run `body` in an entry returning `returns` and give back the value."""
    box = sandbox(f"contract T {{\n{prelude}\n entry f({params}) by anyone -> {returns} {{\n{body}\n}}\n}}")
    assert box.deploy().ok
    receipt = box.call("f")
    assert receipt.ok, receipt.reason
    return receipt.value


@pytest.mark.parametrize("body, returns, expected", [
    ("return 7 / 2", "Int", 3),
    ("return -7 / 2", "Int", -3),
    ("return -7 % 2", "Int", -1),
    ("return 2 * 3 + 4", "Int", 10),
    ("return 10 EUR / 3", "Money", Money(333, "EUR")),
    ("return 0.99 EUR * 15%", "Money", Money(14, "EUR")),
    ("return -0.99 EUR * 15%", "Money", Money(-15, "EUR")),
    ("return 3 EUR / 4 EUR", "Rate", Rate.percent(75)),
    ("return 2026-03-01 - 2026-02-01", "Duration", Duration(28 * 86400)),
    ("return 2026-12-31 + 1d", "Date", Date(20819)),
    ("return (2026-03-01 - 2026-01-01) / 1d", "Int", 59),
    ("return \"ab\" + \"cd\"", "Text", "abcd"),
    ("return len([1, 2, 3])", "Int", 3),
    ("return sum([1 EUR, 2 EUR])", "Money", Money(300, "EUR")),
    ("return min(3, 2) + max(3, 2)", "Int", 5),
    ("return abs(-4)", "Int", 4),
    ("return ratio(1, 3) * 3", "Rate", Rate.percent(100)),
    ("return days(36h)", "Int", 1),
    ("let m: Map[Text, Int] = {\"b\": 2, \"a\": 1}\n let s = \"\"\n for k, v in m { s = s + k }\n return s", "Text", "ab"),
    ("let xs = [3, 1, 2]\n xs.append(4)\n return xs[3] + len(xs)", "Int", 8),
    ("let m: Map[Int, Int] = {}\n m[1] = 5\n return m.get(1, 0) + m.get(2, 10)", "Int", 15),
    ("let total = 0\n for i in range(0, 5) { total += i }\n return total", "Int", 10),
    ("let i = 0\n while i < 10 { i += 3 }\n return i", "Int", 12),
    ("let t = 0\n for i, x in [5, 6] { t += i * x }\n return t", "Int", 6),
    ("if 1 > 2 { return 1 } else if 2 > 1 { return 2 } else { return 3 }", "Int", 2),
    ("return 2 in [1, 2] and not (3 in [1, 2]) and 4 not in [1]", "Bool", True),
])
def test_expressions(sandbox, body, returns, expected):
    assert value_of(sandbox, body, returns) == expected


def test_intermediate_int_results_are_exact_but_stored_results_must_fit(sandbox):
    big = 2**254
    assert value_of(sandbox, f"return {big} * 4 / 8", "Int") == big // 2
    box = sandbox("contract T { entry f(x: Int) by anyone -> Int { let y = x * x  return y } }")
    box.deploy()
    receipt = box.call("f", 2**200)
    assert receipt.status == REVERTED and "overflow" in receipt.reason
    assert receipt.span.line == 1 and receipt.span.column == 57


RECORDS = """
contract R {
    enum Status { Open, Paid }
    record Invoice { amount: Money, status: Status, tags: List[Text] }
    state invoices: Map[Int, Invoice]
    entry add(id: Int, amount: Money) by anyone {
        invoices[id] = Invoice(amount: amount, status: Status.Open, tags: [])
    }
    entry pay(id: Int) by anyone {
        require invoices[id].status == Status.Open, "already paid"
        invoices[id].status = Status.Paid
        invoices[id].tags.append("paid")
    }
    entry copy(id: Int) by anyone -> Int {
        let inv = invoices[id]
        inv.tags.append("local only")
        return len(invoices[id].tags)
    }
}
"""


def test_records_enums_and_nested_updates(sandbox):
    box = sandbox(RECORDS)
    box.deploy()
    assert box.call("add", 1, Money(500, "EUR")).ok
    assert box.call("pay", 1).ok
    invoice = box.state("invoices")[1]
    assert invoice.status.member == "Paid" and invoice.tags == ["paid"]
    second = box.call("pay", 1)
    assert second.status == REVERTED and second.reason == "already paid"
    assert box.call("copy", 1).value == 1, "a let copies the collection it reads"


def test_missing_key_reverts_with_span(sandbox):
    box = sandbox("contract M {\n state m: Map[Int, Int]\n entry f() by anyone -> Int {\n  return m[4]\n }\n}")
    box.deploy()
    receipt = box.call("f")
    assert receipt.status == REVERTED and "missing key" in receipt.reason
    assert (receipt.span.line, receipt.span.column) == (4, 10)


def test_division_by_zero_reverts(sandbox):
    box = sandbox("contract D { entry f(x: Int) by anyone -> Int { return 1 / x } }")
    box.deploy()
    assert box.call("f", 0).status == REVERTED


COUNTER = """
contract Counter {
    role admin
    state count: Int = 0
    state log: List[Int]
    event Bumped(by: Party, to: Int)
    invariant count <= 3, "at most three"
    entry bump() by anyone {
        count += 1
        log.append(count)
        emit Bumped(caller, count)
    }
    entry fail_after_write() by anyone {
        count += 1
        log.append(99)
        require false, "nope"
    }
    entry admin_only() by admin { count = 0 }
    entry promote(p: Party) by admin { grant admin to p }
    entry demote(p: Party) by admin { revoke admin from p }
}
"""


def test_a_revert_leaves_state_exactly_as_before(sandbox):
    box = sandbox(COUNTER)
    box.deploy(admin=[Party("root")])
    assert box.call("bump").ok
    before = box.ledger.state.snapshot()
    receipt = box.call("fail_after_write")
    assert receipt.status == REVERTED and receipt.reason == "nope"
    assert receipt.events == () and receipt.transfers == ()
    assert box.ledger.state.snapshot() == before


def test_invariant_violation_reverts_and_names_the_invariant(sandbox):
    box = sandbox(COUNTER)
    box.deploy()
    for _ in range(3):
        assert box.call("bump").ok
    before = box.ledger.state.snapshot()
    receipt = box.call("bump")
    assert receipt.status == REVERTED and "count <= 3" in receipt.reason
    assert box.ledger.state.snapshot() == before


def test_permissions_and_role_changes(sandbox):
    box = sandbox(COUNTER)
    box.deploy(admin=[Party("root")])
    denied = box.call("admin_only", by="mallory")
    assert denied.status == REVERTED and "permission denied" in denied.reason
    assert box.call("promote", Party("mallory"), by="root").ok
    assert box.call("admin_only", by="mallory").ok
    assert box.call("demote", Party("mallory"), by="root").ok
    assert box.call("admin_only", by="mallory").status == REVERTED


def test_events_carry_field_names(sandbox):
    box = sandbox(COUNTER)
    box.deploy()
    receipt = box.call("bump", by="bob")
    (event,) = receipt.events
    assert event.name == "Bumped" and event.fields == (("by", Party("bob")), ("to", 1))


POOL = """
contract Pool {
    param fee: Money = 5 EUR
    entry deposit() by anyone pays any { }
    entry buy() by anyone pays fee { }
    entry free() by anyone { }
    entry pay_out(to: Party, amount: Money) by anyone { pay amount to to }
    entry share(a: Party, b: Party, c: Party) by anyone pays any { split received { a: 1, b: 1, c: 1 } }
}
"""


def test_payments_and_pays_clauses(sandbox):
    box = sandbox(POOL)
    box.fund("alice", "100 EUR")
    box.deploy()
    assert box.call("deposit", paying="30 EUR").ok
    assert box.call("buy", paying="5 EUR").ok
    wrong = box.call("buy", paying="4 EUR")
    assert wrong.status == REVERTED and "exactly 5.00 EUR" in wrong.reason
    assert box.call("free", paying="1 EUR").status == REVERTED
    assert box.call("pay_out", Party("bob"), Money(1000, "EUR")).ok
    too_much = box.call("pay_out", Party("bob"), Money(10_000, "EUR"))
    assert too_much.status == REVERTED and "insufficient balance" in too_much.reason
    assert box.balance("bob") == Money(1000, "EUR")
    assert box.balance(box.address) == Money(2500, "EUR")


def test_split_pays_exactly_with_largest_remainder(sandbox):
    box = sandbox(POOL)
    box.fund("alice", "100 EUR")
    box.deploy()
    receipt = box.call("share", Party("x"), Party("y"), Party("z"), paying="1 EUR")
    assert receipt.ok
    assert [box.balance(p).units for p in "xyz"] == [34, 33, 33]


def test_infinite_loop_runs_out_of_gas_and_consumes_the_limit(sandbox):
    box = sandbox("contract L { state n: Int entry f() by anyone { while true { n += 1 } } }")
    box.deploy()
    before = box.ledger.state.snapshot()
    receipt = box.call("f", gas_limit=200_000)
    assert receipt.status == OUT_OF_GAS and receipt.gas_used == 200_000
    assert box.ledger.state.snapshot() == before


def test_unbounded_allocation_runs_out_of_gas(sandbox):
    box = sandbox('contract A { entry f() by anyone { let s = "x"\n while true { s = s + s } } }')
    box.deploy()
    assert box.call("f", gas_limit=1_000_000).status == OUT_OF_GAS


def test_unbounded_recursion_hits_the_depth_limit(sandbox):
    box = sandbox("contract R { fn f(n: Int) -> Int { return f(n + 1) } entry g() by anyone -> Int { return f(0) } }")
    box.deploy()
    receipt = box.call("g")
    assert receipt.status == REVERTED and "depth" in receipt.reason


CALLS = """
contract Vault {
    state hits: Int = 0
    entry poke() by anyone pays any -> Int { hits += 1  return hits }
}
contract Caller {
    param vault: Vault
    state last: Int = 0
    entry go() by anyone pays any { last = call vault.poke() paying received }
    entry go_then_fail() by anyone { last = call vault.poke()  require false, "after the call" }
}
contract Loopback {
    param other: Loopback2
    entry a() by anyone { call other.b() }
    entry c() by anyone { }
}
contract Loopback2 {
    param back: Loopback
    entry b() by anyone { call back.c() }
}
"""


def test_cross_contract_calls_commit_or_revert_together(sandbox):
    box = sandbox(CALLS)
    box.fund("alice", "10 EUR")
    vault = box.deploy("Vault").address
    caller = box.deploy("Caller", vault=vault).address
    assert box.call("go", paying="2 EUR", address=caller).ok
    assert box.ledger.state.instances[vault].storage["hits"] == 1
    assert box.balance(vault) == Money(200, "EUR")
    failed = box.call("go_then_fail", address=caller)
    assert failed.status == REVERTED
    assert box.ledger.state.instances[vault].storage["hits"] == 1


def test_reentrancy_is_refused(sandbox):
    box = sandbox(CALLS)
    first = box.ledger.engine.deploy(box.compiled["Loopback"], {"other": Party("Loopback2#2")}, Party("d"))
    second = box.ledger.engine.deploy(box.compiled["Loopback2"], {"back": first.address}, Party("d"))
    assert second.address == Party("Loopback2#2")
    receipt = box.call("a", address=first.address)
    assert receipt.status == REVERTED and "reentrancy" in receipt.reason


def test_gas_is_deterministic(sandbox):
    used = set()
    for _ in range(3):
        box = sandbox(COUNTER)
        box.deploy()
        used.add((box.call("bump").gas_used, box.call("bump").gas_used))
    assert len(used) == 1


def test_waterfall_persists_progress_across_receipts(sandbox):
    box = sandbox("""
contract F {
    party agent  party distributor  party producer
    entry receive() by anyone pays any {
        waterfall receipts(received) {
            fee 10% to agent
            recoup distributor up to 100 EUR
            split { producer: 1 }
        }
    }
}""")
    box.fund("alice", "1000 EUR")
    box.deploy()
    assert box.call("receive", paying="100 EUR").ok
    assert box.balance("distributor") == Money(9000, "EUR")
    receipt = box.call("receive", paying="100 EUR")
    assert box.balance("distributor") == Money(10000, "EUR")
    assert box.balance("producer") == Money(8000, "EUR")
    assert box.balance("agent") == Money(2000, "EUR")
    causes = [t.cause for t in receipt.transfers if t.cause]
    assert any("tier 2 (recoup distributor)" in c for c in causes)


def test_a_payment_into_a_contract_is_checked_against_its_invariants(sandbox):
    box = sandbox("""
contract Sealed {
    invariant balance == 0 EUR, "never holds money"
    entry touch() by anyone { }
}
contract Payer {
    param target: Party
    entry send() by anyone pays any { pay received to target }
}""")
    box.fund("alice", "10 EUR")
    sealed = box.deploy("Sealed").address
    payer = box.deploy("Payer", target=sealed).address
    receipt = box.call("send", paying="1 EUR", address=payer)
    assert receipt.status == REVERTED
    assert receipt.reason == "invariant of Sealed violated: never holds money (balance == 0 EUR)"
    assert box.balance("alice") == Money(1000, "EUR")


def test_a_call_receipt_names_no_address_even_when_money_moves(sandbox):
    # Regression: the loop collecting contracts touched by transfers reused the name
    # `address`, so a call's receipt reported the last payee as a "deployed" address.
    box = sandbox(POOL)
    box.fund("alice", "100 EUR")
    deployed = box.deploy(paying=None)
    assert deployed.address == box.address
    assert box.call("deposit", paying="30 EUR").ok
    receipt = box.call("pay_out", Party("bob"), Money(1000, "EUR"))
    assert receipt.ok and receipt.address is None


def test_conservation_is_checked_against_issuance():
    from tabellion.runtime.state import WorldState

    state = WorldState()
    start = state.savepoint()
    state.issue(Party("a"), Money(500, "EUR"))
    state.transfer(Party("a"), Party("b"), Money(200, "EUR"))
    assert state.changes_since(start) == ({"EUR": 500}, {"EUR": 500})
    middle = state.savepoint()
    state.transfer(Party("b"), Party("c"), Money(200, "EUR"))
    assert state.changes_since(middle) == ({}, {})
    state.balances[(Party("c"), "EUR")] += 1  # what a bug would do
    state.journal_append((state.balances, (Party("c"), "EUR"), 200))
    assert state.changes_since(middle) == ({"EUR": 1}, {})


def test_permission_is_checked_before_money_moves(sandbox):
    box = sandbox("contract A { role owner  entry f() by owner pays any { } }")
    box.deploy(owner=[Party("root")])
    receipt = box.call("f", by="stranger", paying="5 EUR")
    assert receipt.status == REVERTED and "permission denied" in receipt.reason


def test_contracts_are_parties_and_know_their_own_address(sandbox):
    box = sandbox("""
contract Vault {
    role members
    entry hold() by anyone pays any { }
    entry me() by anyone -> Party { return this }
}
contract Client {
    param vault: Vault
    entry join() by anyone { require caller != vault, "not the vault" }
    entry send() by anyone pays any { pay received to vault }
    entry is_vault(p: Party) by anyone -> Bool { return p == vault }
}""")
    box.fund("alice", "5 EUR")
    vault = box.deploy("Vault").address
    client = box.deploy("Client", vault=vault).address
    assert box.call("me", address=vault).value == vault
    assert box.call("send", paying="2 EUR", address=client).ok
    assert box.balance(vault) == Money(200, "EUR")
    assert box.call("is_vault", vault, address=client).value is True


def test_text_of_values_and_removing_a_missing_key(sandbox):
    assert value_of(sandbox, 'return text(1_250.50 EUR) + " / " + text(15%) + " / " + text("x")', "Text") == \
        "1_250.50 EUR / 15% / x"
    assert value_of(sandbox, "let m: Map[Int, Int] = {1: 2}\n m.remove(5)\n m.remove(1)\n return len(m)", "Int") == 0
