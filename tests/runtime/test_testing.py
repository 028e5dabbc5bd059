"""tabellion.runtime.testing: strategies, calls, contract handles, transcripts, the pytest plugin, the CLI."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tabellion.runtime.testing as testing
from tabellion.lang import compile_source
from tabellion.lang.types import (
    BOOL, DATE, DURATION, INT, PARTY, RATE, TEXT, TIME, ContractT, ListT, MapT, MoneyT,
)
from tabellion.runtime.compiler import compile_module
from tabellion.runtime.ledger import GENESIS_TIME, DevLedger
from tabellion.runtime.numeric import Money, Rate, parse_money
from tabellion.runtime.temporal import Date, Duration, Time, parse_date, parse_duration
from tabellion.runtime.testing import (
    CallFailed, Parties, Unsupported, calls, dates, durations, from_type, money, parties, rates, to_value,
)
from tabellion.runtime.testing.transcript import Called, Deployed, Funded, Setup, Transcript, Waited
from tabellion.runtime.values import EnumValue, Party, Record

ROOT = Path(__file__).resolve().parent.parent.parent
CLI = [sys.executable, "-m", "tabellion.runtime.cli"]

POLICIES = """
contract Cover {
    role insurer
    party oracle
    param premium: Money
    enum Status { Open, Paid }
    record Policy { holder: Party, flight: Text, status: Status, tags: List[Text] }
    state policies: Map[Int, Policy]
    state count: Int = 0
    state last: Party

    entry buy(flight: Text) by anyone pays premium {
        policies[count] = Policy(holder: caller, flight: flight, status: Status.Open, tags: [])
        count += 1
        last = caller
    }
    entry settle(id: Int, status: Status) by oracle {
        policies[id].status = status
    }
    entry top_up() by insurer pays any { }
    entry touch() by last { }
}
"""

COUNTER = """
contract Counter {
    role owner
    param step: Int = 1
    state count: Int = 0
    entry bump(times: Int) by owner {
        require times > 0, "bump at least once"
        count += step * times
    }
    entry tip() by anyone pays any { }
}
"""

QUICK = settings(max_examples=40, deadline=None, database=None)


def checked_cover():
    checked = compile_source(POLICIES, "cover.sc")
    return checked, compile_module(checked)["Cover"]


# -- strategies


@QUICK
@given(st.data())
def test_every_primitive_type_has_a_strategy_of_its_runtime_type(data):
    for t, kind in [(INT, int), (BOOL, bool), (TEXT, str), (MoneyT(), Money), (RATE, Rate), (DATE, Date),
                    (TIME, Time), (DURATION, Duration), (PARTY, Party)]:
        value = data.draw(from_type(t))
        assert type(value) is kind, (t, value)


@QUICK
@given(st.data())
def test_collections_records_and_enums(data):
    checked, _ = checked_cover()
    info = checked.contracts["Cover"]
    policy = data.draw(from_type(info.records["Policy"], pool=("ann", "bo")))
    assert isinstance(policy, Record) and policy.holder in (Party("ann"), Party("bo"))
    assert isinstance(policy.status, EnumValue) and policy.status.member in ("Open", "Paid")
    assert all(type(tag) is str for tag in policy.tags)
    items = data.draw(from_type(MapT(INT, ListT(MoneyT("USD"))), max_size=3))
    assert len(items) <= 3
    assert all(m.currency == "USD" and m.units >= 0 for values in items.values() for m in values)


def test_a_contract_instance_cannot_be_generated():
    with pytest.raises(Unsupported, match="deploy it in a scenario"):
        from_type(ContractT("Film"))


@QUICK
@given(money("JPY", "10 JPY", "20 JPY"), rates("5%", "7.5%"), dates("2026-02-01", "2026-02-03"),
       durations("1h", "2h"))
def test_bounds_are_respected(amount, rate, day, duration):
    assert amount.currency == "JPY" and 10 <= amount.units <= 20
    assert Fraction(5, 100) <= rate.value <= Fraction(75, 1000)
    assert parse_date("2026-02-01") <= day <= parse_date("2026-02-03")
    assert parse_duration("1h") <= duration <= parse_duration("2h")


def test_strategies_shrink_toward_the_simplest_values():
    from hypothesis import find

    assert find(money(), lambda m: True) == Money(0, "EUR")
    assert find(dates(), lambda d: True) == Date(GENESIS_TIME.seconds // 86_400)
    assert find(parties(("zed", "amy")), lambda p: True) == Party("zed")
    assert find(money(), lambda m: m.units >= 1_000) == Money(1_000, "EUR")


def test_bad_bounds_name_the_argument():
    with pytest.raises(ValueError, match="min_value 2.00 EUR is above max_value 1.00 EUR"):
        money("EUR", "2 EUR", "1 EUR")
    with pytest.raises(TypeError, match="max_value must be Money"):
        money("EUR", None, 5)
    with pytest.raises(ValueError, match="the pool is empty"):
        parties(())


# -- calls


@QUICK
@given(st.data())
def test_calls_follow_the_by_and_pays_clauses_of_a_live_instance(data):
    checked, compiled = checked_cover()
    ledger = DevLedger()
    receipt = ledger.deploy(compiled, {"insurer": [Party("axa")], "oracle": Party("meteo"),
                                       "premium": parse_money("25 EUR")}, Party("axa"))
    call = data.draw(calls(compiled, pool=("ann", "bo"), ledger=ledger, address=receipt.address))
    entry = compiled.info.entries[call.entry]
    assert len(call.args) == len(entry.params)
    if call.entry == "settle":
        assert call.allowed == (call.caller == Party("meteo"))
    if call.entry == "buy":
        assert call.allowed is True
        assert call.paying in (None, parse_money("25 EUR")) or call.paying != parse_money("25 EUR")
    if call.entry == "touch":  # `by last`, a state field not set yet: nobody is allowed
        assert call.allowed is False
    if call.paying is not None and call.top_up is not None:
        assert call.top_up == call.paying  # the caller had nothing: topped up to pay as the clause asks


def test_calls_without_an_instance_draw_any_party():
    _, compiled = checked_cover()
    from hypothesis import find

    found = find(calls(compiled, entries=["settle"]), lambda c: True)
    assert found.entry == "settle" and found.allowed is None
    assert found.args == (0, EnumValue("Status", "Open", 0))


# -- values given to handles


@pytest.mark.parametrize("value, t, expected", [
    ("100 EUR", MoneyT(), parse_money("100 EUR")),
    ("12.5", MoneyT("USD"), parse_money("12.5 USD")),
    ("1_000", INT, 1000),
    (7, INT, 7),
    ("true", BOOL, True),
    ("15%", RATE, Rate.of(Fraction(15, 100))),
    (Fraction(1, 3), RATE, Rate.of(Fraction(1, 3))),
    ("2026-12-01", DATE, parse_date("2026-12-01")),
    (datetime.date(2026, 12, 1), DATE, parse_date("2026-12-01")),
    ("2026-12-01T10:30Z", TIME, Time(parse_date("2026-12-01").days * 86_400 + 37_800)),
    (datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc), TIME, GENESIS_TIME),
    ("3h", DURATION, parse_duration("3h")),
    (datetime.timedelta(days=2), DURATION, parse_duration("2d")),
    ("alice", PARTY, Party("alice")),
    ("some text", TEXT, "some text"),
    (["a", Party("b")], ListT(PARTY), [Party("a"), Party("b")]),
    ({"a": "1 EUR"}, MapT(PARTY, MoneyT()), {Party("a"): parse_money("1 EUR")}),
])
def test_values_are_converted_by_their_declared_type(value, t, expected):
    assert to_value(value, t) == expected


def test_records_and_enums_from_python_values():
    checked, _ = checked_cover()
    info = checked.contracts["Cover"]
    status = info.enums["Status"]
    assert to_value("Paid", status) == EnumValue("Status", "Paid", 1)
    assert to_value("Status.Open", status) == EnumValue("Status", "Open", 0)
    policy = to_value({"holder": "ann", "flight": "AF1", "status": "Open", "tags": ["x"]}, info.records["Policy"])
    assert policy.holder == Party("ann") and policy.tags == ["x"]
    with pytest.raises(ValueError, match="Status has no member 'Late'"):
        to_value("Late", status, argument="status")
    with pytest.raises(ValueError, match="missing tags"):
        to_value({"holder": "ann", "flight": "AF1", "status": "Open"}, info.records["Policy"])
    with pytest.raises(TypeError, match="count: expected a Int, got 1.5"):
        to_value(1.5, INT, argument="count")


# -- handles and the pytest fixtures (the plugin is installed with Tabellion)


def test_handles_call_entries_as_methods(load_contract, parties, fund, chain):
    counter = load_contract(COUNTER, owner=[parties.olga], step="2", by=parties.olga)
    receipt = counter.bump(3, by=parties.olga)
    assert receipt.ok and counter.state.count == 6
    counter.bump(times=1, by="olga")
    assert counter.state.count == 8
    with pytest.raises(CallFailed, match="permission denied") as refused:
        counter.bump(1, by=parties.mallory)
    assert refused.value.receipt.status == "reverted"
    with pytest.raises(CallFailed, match="bump at least once"):
        counter.bump(0)  # by the deployer, as in a scenario
    assert not counter.call("bump", 0, check=False).ok
    fund("tom", "5 EUR")
    counter.tip(by="tom", paying="5 EUR")
    assert counter.balance == parse_money("5 EUR") and chain.balance(parties.tom) == parse_money("0 EUR")


def test_handles_explain_mistakes(load_contract):
    counter = load_contract(COUNTER, owner=["olga"])
    with pytest.raises(AttributeError, match="Counter has no entry 'bumpp'"):
        counter.bumpp()
    with pytest.raises(AttributeError, match="has no state field 'cont'"):
        counter.state.cont  # noqa: B018
    with pytest.raises(AttributeError, match="read-only"):
        counter.state.count = 3
    with pytest.raises(TypeError, match="bump is missing times"):
        counter.bump()
    with pytest.raises(TypeError, match="bump takes 1 argument, got 2"):
        counter.bump(1, 2)
    with pytest.raises(TypeError, match="Counter has no param, role or party 'owners'"):
        load_contract(COUNTER, owners=["olga"])
    with pytest.raises(testing.handle.DeployFailed, match="insufficient balance"):
        load_contract(COUNTER, by="olga", paying="1 EUR")


def test_a_handle_from_a_path(load_contract, parties):
    film = load_contract(ROOT / "examples" / "film_waterfall.sc", equity="500_000 EUR", fund_loan="300_000 EUR")
    assert film.state.receipts_total == parse_money("0 EUR")
    assert "receive" in dir(film)
    assert repr(film) == "<Film at Film#1>"


def test_parties_fixture_and_class():
    assert Parties().alice == Party("alice") and Parties()["bob"] == Party("bob")


def test_tabellion_testing_is_the_same_api():
    import tabellion.testing as public

    assert public.money is testing.money
    assert public.machine_for is testing.machine_for
    assert set(public.__all__) == set(testing.__all__)
    with pytest.raises(AttributeError):
        public.nothing_here  # noqa: B018


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="pytest11") if ep.name == "tabellion"]
    assert found and found[0].value == "tabellion.runtime.testing.plugin"


def test_the_pytest_example_passes():
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "examples" / "pytest_example")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT / "examples")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "4 passed" in done.stdout


# -- transcripts


def test_a_transcript_prints_a_scenario_that_tabellion_run_reads():
    transcript = Transcript("counterexample: \"Cover\"", "c")
    transcript.aliases[Party("Cover#1")] = "c"
    transcript.steps += [
        Setup("fund axa 1_000 EUR"),
        Deployed("Cover", (("premium", parse_money("25 EUR")), ("insurer", [Party("axa")])), Party("axa"), None),
        Funded(Party("ann"), parse_money("25 EUR")),
        Called("buy", ("AF\n1",), Party("ann"), parse_money("25 EUR"), True, None),
        Waited(parse_duration("2d")),
        Called("settle", (0, EnumValue("Status", "Paid", 1)), Party("ann"), None, False, "permission denied"),
        Called("touch", (), Party("Cover#1"), None, False, "x"),
    ]
    assert transcript.step_count == 5
    failing = transcript.fail_here("call", "invariant violated:\n  x")
    assert failing.render() == (
        'scenario "counterexample: \\"Cover\\"" {\n'
        "    fund axa 1_000 EUR\n"
        "    deploy c = Cover(premium: 25.00 EUR, insurer: [axa]) by axa\n"
        "    fund ann 25.00 EUR\n"
        '    call c.buy("AF\\n1") by ann paying 25.00 EUR\n'
        "    wait 2d\n"
        "    expect fails call c.settle(0, Status.Paid) by ann   // permission denied\n"
        "    call c.touch() by c.address   // <- invariant violated: x\n"
        "}")
    assert "expect fails call c.touch() by c.address   // <- went" in \
        transcript.fail_here("expect fails", "went through").render()


# -- the command


def tabellion(*args, cwd=None):
    environment = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, timeout=300,
                          env=environment, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


def test_tabellion_test_passes_a_sound_file_with_progress_and_a_summary(tmp_path):
    path = tmp_path / "counter.sc"
    path.write_text(COUNTER + '\nscenario "bump" {\n    deploy c = Counter(owner: [olga]) by olga\n'
                    "    call c.bump(2) by olga\n    expect c.count == 2\n}\n", encoding="utf-8")
    status, output, errors = tabellion("test", path, "--max-examples", 20, "--no-database")
    assert status == 0, output + errors
    lines = output.splitlines()
    assert lines[0].startswith(f"{path} (seed ")
    assert lines[1].startswith('  ok    Counter: scenario "bump"')
    assert lines[2].startswith("  ok    Counter: state machine (")
    assert "\x1b" not in output  # not a terminal: plain lines, no redrawing
    assert "summary" in lines
    assert any(re.match(r"  ok   Counter +scenarios 1/1   properties 0/0   state machine ok \(\d+ examples", line)
               for line in lines), output
    assert lines[-1] == "2 passed, 0 failed"
    assert not (tmp_path / ".tabellion").exists()


def test_failing_examples_are_kept_beside_the_file_and_tried_first(tmp_path):
    broken = (ROOT / "tests" / "broken" / "royalties_broken.sc").read_text(encoding="utf-8")
    path = tmp_path / "song.sc"
    path.write_text(broken, encoding="utf-8")
    status, first, _ = tabellion("test", path, "--max-examples", 200, "--seed", 1)
    assert status == 1
    assert any((tmp_path / ".tabellion" / "examples").iterdir())
    status, again, _ = tabellion("test", path, "--max-examples", 200, "--seed", 99)
    assert status == 1
    scenario = lambda text: text[text.index('scenario "counterexample'):text.index("reproduce")]  # noqa: E731
    assert scenario(again) == scenario(first)       # replayed from the database, not found anew
    examples = lambda text: int(text.split("state machine (")[1].split(" examples")[0])  # noqa: E731
    assert examples(again) < examples(first)


def test_the_ci_profile_is_derandomized_and_keeps_no_examples(tmp_path):
    path = tmp_path / "song.sc"
    path.write_text((ROOT / "tests" / "broken" / "royalties_correct.sc").read_text(encoding="utf-8"))
    status, first, _ = tabellion("test", path, "--profile", "ci", "--max-examples", 10)
    assert status == 0
    assert "(derandomized)" in first.splitlines()[0]
    status, second, _ = tabellion("test", path, "--profile", "ci", "--max-examples", 10)
    steps = lambda text: text.split("state machine (")[1].split(")")[0]  # noqa: E731
    assert steps(first) == steps(second)
    assert not (tmp_path / ".tabellion").exists()


def test_a_file_that_does_not_compile_fails_with_its_diagnostics(tmp_path):
    path = tmp_path / "bad.sc"
    path.write_text("contract C { state x: Int = true }\n", encoding="utf-8")
    status, output, errors = tabellion("test", path, "--no-database")
    assert status == 1
    assert "error[" in errors and "1 file with errors" in output


def test_usage_errors():
    status, _, errors = tabellion("test", "x.sc", "--max-examples", "0")
    assert status == 2 and "expected at least 1" in errors
    status, _, errors = tabellion("test", "x.sc", "--profile", "fast")
    assert status == 2 and "invalid choice" in errors


def test_run_file_reports_outcomes_and_compile_errors(tmp_path):
    path = tmp_path / "counter.sc"
    path.write_text(COUNTER, encoding="utf-8")
    events = []
    report = testing.run_file(str(path), testing.Options(max_examples=10, database=False),
                              lambda event, value: events.append(event))
    assert report.ok and [(o.kind, o.group, o.status) for o in report.outcomes] == [("machine", "Counter", "passed")]
    assert events[0] == "file" and events[-1] == "end" and "progress" in events
    bad = tmp_path / "bad.sc"
    bad.write_text("contract C { state x: Int = true }\n", encoding="utf-8")
    report = testing.run_file(str(bad), testing.Options(database=False))
    assert not report.ok and "error[" in report.errors[0]
    with pytest.raises(ValueError, match="unknown profile 'fast'"):
        testing.Options(profile="fast")
