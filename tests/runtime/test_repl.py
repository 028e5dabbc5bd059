"""`tabellion repl` with standard input from a pipe: every command, steps, errors, exit status.

Each test runs the real command in a subprocess, feeds it lines, and reads what it
prints. The terminal side (prompt_toolkit) is tested in test_repl_pty.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from tabellion.lang.parser import parse_repl_input
from tabellion.runtime.repl.source import (
    needs_more,
    with_default_caller,
    without_scenarios,
)
from tabellion.runtime.repl.terminal import history_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VAULT = """\
contract Vault {
    party keeper
    state held: Money = 0 EUR
    event Deposited(who: Party, amount: Money)
    entry deposit(amount: Money) by anyone pays any {
        require received == amount, "send what you say"
        held += amount
        emit Deposited(caller, amount)
    }
    entry withdraw(amount: Money) by keeper {
        held -= amount
        pay amount to caller
    }
    scenario "its own" { deploy Vault() }
}
"""

SETUP = [":load vault.sc", "fund alice 100 EUR", "deploy v = Vault(keeper: bob) by alice",
         "call v.deposit(30 EUR) by alice paying 30 EUR"]


def repl(cwd, *lines, args=()):
    """Run `tabellion repl ARGS` with `lines` on standard input; (exit status, stdout, stderr)."""
    env = dict(os.environ, TABELLION_HOME=str(cwd), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", "repl", *args], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=60, cwd=cwd, env=env, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def here(tmp_path):
    (tmp_path / "vault.sc").write_text(VAULT)
    return tmp_path


# ---------------------------------------------------------------- steps and expressions


def test_steps_run_and_expressions_print_their_value(here):
    status, out, _ = repl(here, *SETUP, "balance(alice)", "v.held", "balance(v)", "let twice = v.held * 2", "twice",
                          "wait 30d", "now", "expect v.held == 30 EUR")
    assert status == 0, out
    assert "loaded vault.sc" in out and "entry deposit(amount: Money) by anyone pays any" in out
    assert "(1 scenario not run here" in out
    assert "ok   call v.deposit(30 EUR) by alice paying 30 EUR   [gas" in out
    assert "event Deposited(who: alice, amount: 30.00 EUR)" in out
    assert "pay 30.00 EUR alice -> Vault#1" in out
    assert out.splitlines().count("70.00 EUR") == 1 and out.splitlines().count("30.00 EUR") == 2
    assert "twice = 60.00 EUR" in out
    assert "now 2026-01-31T00:00Z" in out and "\n2026-01-31T00:00Z\n" in out
    assert "ok   expect v.held == 30 EUR" in out


def test_a_contract_typed_over_several_lines(tmp_path):
    status, out, _ = repl(tmp_path, "contract Echo {", "  entry say(x: Int) by anyone -> Int {", "    return x * 2",
                          "  }", "}", "deploy e = Echo()", "call e.say(",
                          "  21)")
    assert status == 0, out
    assert "contract Echo\n  entry say(x: Int) by anyone -> Int" in out
    assert "ok   call e.say( 21)   [gas" in out and "returned 42" in out


def test_a_typed_contract_replaces_its_earlier_version_and_the_session_replays(tmp_path):
    status, out, _ = repl(tmp_path, "contract C { state n: Int = 1 }", "deploy c = C()", "c.n",
                          "contract C { state n: Int = 5 }", "c.n")
    assert status == 0, out
    assert "changed C" in out and "redeployed C: replayed 1 of 1 steps" in out
    assert out.rstrip().endswith("5")


def test_a_failed_call_shows_its_receipt_and_changes_nothing(here):
    status, out, _ = repl(here, *SETUP, "call v.withdraw(5 EUR) by alice", "v.held", ":blocks")
    assert status == 1
    assert "FAIL call v.withdraw(5 EUR) by alice   [gas" in out
    assert "permission denied: withdraw may be called by keeper, not by alice" in out
    assert "at vault.sc:10:35" in out and "10 |     entry withdraw(amount: Money) by keeper {" in out
    assert "\n30.00 EUR\n" in out
    blocks = out.split("#1")[-1]
    assert "#2" in blocks and "#3" not in blocks  # the failed call took no block


def test_errors_are_diagnostics_inside_what_was_typed(here):
    status, out, _ = repl(here, *SETUP, "call v.depost(1 EUR)", "1 +", "v.nope", "deploy Nope()",
                          'scenario "s" { fund a 1 EUR }')
    assert status == 1
    assert "<input-4>:1:8: error[E0206]: Vault has no entry 'depost'" in out
    assert "1 | call v.depost(1 EUR)\n  |        ^^^^^^" in out and "hint: did you mean 'deposit'?" in out
    assert "<input-5>:1:4: error[E0101]" in out
    assert "<input-6>:1:3: error[E0205]: Vault has no state field 'nope'" in out
    assert "<input-7>:1:8: error[E0207]: unknown contract 'Nope'" in out
    assert "error[E0601]: a scenario block is not run at the prompt" in out


def test_a_failed_expectation_is_reported_and_the_exit_status_is_1(here):
    status, out, _ = repl(here, *SETUP, "expect balance(alice) == 1 EUR")
    assert status == 1
    assert "FAIL expect balance(alice) == 1 EUR" in out and "balance(alice) is 70.00 EUR" in out


def test_a_file_with_errors_on_the_command_line_is_reported(tmp_path):
    (tmp_path / "bad.sc").write_text("contract Bad {\n    state n: Nope\n}\n")
    status, out, _ = repl(tmp_path, "1", args=["bad.sc"])
    assert status == 1
    assert "bad.sc:2:14: error[E0204]: unknown type 'Nope'" in out and "2 |     state n: Nope" in out


# ---------------------------------------------------------------- commands


def test_load_and_reload_redeploy_what_changed(here):
    env = dict(os.environ, TABELLION_HOME=str(here), NO_COLOR="1")
    process = subprocess.Popen([sys.executable, "-m", "tabellion.runtime.cli", "repl"], cwd=here, env=env, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()

    def say(line: str) -> str:
        """What `line` printed: the text expression sent after it marks the end."""
        process.stdin.write(f'{line}\n"end of {line}"\n')
        process.stdin.flush()
        seen, marker = "", f'"end of {line}"\n'
        while not seen.endswith(marker):
            text = process.stdout.readline()
            assert text, f"the REPL ended after {line!r}: {seen}"
            seen += text
        return seen[: -len(marker)]

    try:
        for line in SETUP:
            say(line)
        assert say(":reload") == "nothing changed\n"
        (here / "vault.sc").write_text(VAULT.replace("held += amount", "held += amount * 2"))
        out = say(":reload")
        assert "reloaded vault.sc" in out and "changed Vault" in out and "redeployed Vault: replayed 3 of 3" in out
        assert say("v.held") == "60.00 EUR\n"
        (here / "vault.sc").write_text(VAULT.replace("held += amount", "held += "))
        assert "vault.sc:8:9: error[E0" in say(":reload")
        assert say("v.held") == "60.00 EUR\n"
        (here / "vault.sc").write_text(VAULT.replace("entry deposit", "entry put"))
        out = say(":reload")
        assert "dropped: call v.deposit(30 EUR) by alice paying 30 EUR  (Vault has no entry 'deposit')" in out
        assert say("v.held") == "0.00 EUR\n"
    finally:
        process.stdin.close()
        process.wait()
        watchdog.cancel()
    assert process.returncode == 1  # the reload with a syntax error failed


def test_load_errors(tmp_path):
    status, out, _ = repl(tmp_path, ":load", ":load missing.sc")
    assert status == 1
    assert "error: usage: :load FILE" in out and "missing.sc" in out


def test_as_sets_the_default_caller_and_save_writes_it_out(here):
    status, out, _ = repl(here, ":as", ":load vault.sc", ":as alice", "fund alice 50 EUR",
                          "deploy v = Vault(keeper: bob)", "call v.deposit(10 EUR) paying 10 EUR",
                          "expect fails call v.withdraw(1 EUR)", ":as Alice", ":as default", ":save out.sc")
    assert status == 1  # `:as Alice` is refused
    assert "run as the scenario default" in out
    assert "ok   deploy v = Vault(keeper: bob) by alice" in out
    assert "ok   call v.deposit(10 EUR) by alice paying 10 EUR" in out
    assert "ok   expect fails call v.withdraw(1 EUR) by alice" in out
    assert "error: 'Alice' is not a party name" in out
    saved = (here / "out.sc").read_text()
    assert "    call v.deposit(10 EUR) by alice paying 10 EUR\n" in saved


def test_as_on_the_command_line(here):
    status, out, _ = repl(here, "deploy v = Vault(keeper: bob)", ":blocks", args=["vault.sc", "--as", "carol"])
    assert status == 0, out
    assert "deploy v = Vault(keeper: bob) by carol" in out.split(":blocks")[-1]


def test_parties_and_balances(here):
    status, out, _ = repl(here, ":parties", ":balances", *SETUP, ":as alice", ":parties", ":balances")
    assert status == 0, out
    assert "no parties yet" in out and "every balance is zero" in out
    assert re.search(r"\* alice\s+70\.00 EUR", out)
    assert re.search(r"  bob\s+0\.00 EUR\s+keeper of v \(Vault#1\)", out)
    assert re.search(r"  Vault#1\s+30\.00 EUR\n  alice\s+70\.00 EUR", out)


def test_state_of_a_contract(here):
    status, out, _ = repl(here, ":state", *SETUP, ":state v", ":state Vault#1", ":state Vault", ":state nothing")
    assert status == 1  # the first and last name nothing to show
    assert "which contract?" in out and "no contract 'nothing' to show" in out
    assert out.count("v = Vault#1: Vault, deployed by alice, balance 30.00 EUR") == 3
    assert re.search(r"party keeper\s+=\s+bob", out) and re.search(r"state held\s+=\s+30\.00 EUR", out)


def test_events_and_blocks(here):
    status, out, _ = repl(here, ":events", ":blocks", *SETUP, "call v.deposit(1 EUR) by alice paying 1 EUR",
                          ":events 1", ":blocks 2", ":blocks x")
    assert status == 1  # :blocks x
    assert "no events yet" in out and "no transactions yet (height 0" in out
    assert "#3  Vault#1  Deposited(who: alice, amount: 1.00 EUR)" in out
    assert "#2  Vault#1  Deposited" not in out  # `:events 1` shows the last one only
    assert re.search(r"#2  2026-01-01T00:00Z  success  gas [\d_]+  call v\.deposit\(30 EUR\)", out)
    assert re.search(r"#3  2026-01-01T00:00Z  success  gas [\d_]+  call v\.deposit\(1 EUR\)", out)
    assert "#1  2026" not in out  # `:blocks 2` shows the last two
    assert "error: expected a positive count, not 'x'" in out


def test_gas_by_statement(here):
    status, out, _ = repl(here, ":gas", *SETUP, ":gas", "deploy Vault(keeper: bob)", ":gas")
    assert status == 0, out
    assert "no transaction yet" in out
    assert re.search(r"call deposit by alice: success, gas [\d_]+ of 10_000_000", out)
    assert re.search(r"\s[\d_]+\s+1  vault\.sc:6:9  require received == amount", out)
    assert re.search(r"\s[\d_]+\s+1  vault\.sc:8:9  emit Deposited\(caller, amount\)", out)
    assert "a deploy's gas is not broken down by statement" in out


def test_trace(here):
    status, out, _ = repl(here, *SETUP[:3], ":trace", ":trace on", "call v.deposit(2 EUR) by alice paying 2 EUR",
                          ":trace off", "call v.deposit(3 EUR) by alice paying 3 EUR", ":trace sideways")
    assert status == 1  # :trace sideways
    assert "trace off\ntrace on\n" in out
    assert out.count("trace Vault vault.sc:6: require received == amount") == 1
    assert "trace Vault vault.sc:7: held += amount" in out


def test_undo(here):
    status, out, _ = repl(here, ":undo", *SETUP, "expect v.held == 30 EUR", ":undo", "v.held", "balance(alice)",
                          ":undo", ":undo", ":undo", ":undo", ":blocks")
    assert status == 0, out
    assert "nothing to undo" in out
    assert ("undone: expect v.held == 30 EUR\nundone: call v.deposit(30 EUR) by alice paying 30 EUR\n"
            "0.00 EUR\n100.00 EUR\nundone: deploy v = Vault(keeper: bob) by alice\nundone: fund alice 100 EUR\n"
            "nothing to undo\nnothing to undo\nno transactions yet") in out


def test_reset(here):
    status, out, _ = repl(here, *SETUP, ":reset", "balance(alice)", "v.held", "deploy v = Vault(keeper: bob)")
    assert status == 1  # v is gone
    assert "a fresh ledger: balances, instances and bindings cleared (contracts kept: Vault)" in out
    assert "\n0.00 EUR\n" in out and "error[E0202]" not in out.split("v.held")[0]
    assert "deployed at Vault#1" in out.split(":reset")[-1]


def test_save_replays_to_the_same_balances(here):
    film = (EXAMPLES / "film_waterfall.sc").read_text()
    (here / "film.sc").write_text(film)
    lines = [":load film.sc", "fund cam 1_300_000 EUR",
             "deploy w = Film(equity: 500_000 EUR, fund_loan: 300_000 EUR,",
             "                auditors: [producer, financier, film_fund]) by cam",
             'call w.receive("MG France") by cam paying 400_000 EUR', "call w.receive(\"nothing\") by cam",
             "wait 120d", 'call w.receive("SVOD") by cam paying 900_000 EUR', ":balances", ":save saved.sc",
             ":save /nonexistent/dir/x.sc"]
    status, out, _ = repl(here, *lines)
    assert status == 1  # the empty receipt, and the unwritable path
    assert "saved 5 steps to saved.sc" in out and "error: cannot write /nonexistent/dir/x.sc" in out
    saved = (here / "saved.sc").read_text()
    assert saved.count("scenario") == 1  # the film's own scenarios are left out
    assert '    deploy w = Film(equity: 500_000 EUR, fund_loan: 300_000 EUR,\n' in saved
    balances = dict(re.findall(r"^  (\w+)\s+([\d_.]+ EUR)$", out.split(":balances")[-1], re.MULTILINE))
    run = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", "run", "saved.sc"], cwd=here,
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    replayed = dict(re.findall(r"^    (\w+)\s+([\d_.]+ EUR)$", run.stdout, re.MULTILINE))
    assert balances and replayed == {k: v for k, v in balances.items() if not k.startswith("Film")}


def test_help_quit_and_unknown_commands(here):
    status, out, _ = repl(here, ":help", ":help undo", ":h save", ":help nope", ":undoo", ":quit", "1 + 1")
    assert status == 1
    assert ":load FILE" in out and ":gas" in out and ":quit" in out
    assert ":undo   go back to before the last step that changed something" in out
    assert ":save FILE   write the session as a .sc file with a scenario" in out
    assert "error: no command ':nope'" in out
    assert "error: unknown command ':undoo' (did you mean :undo?)" in out
    assert "\n2\n" not in out  # nothing after :quit runs


def tabellion(cwd, *args):
    """Run `tabellion ARGS` with TABELLION_HOME=cwd; (exit status, stdout, stderr)."""
    env = dict(os.environ, TABELLION_HOME=str(cwd), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", *args], capture_output=True, text=True,
                          timeout=60, cwd=cwd, env=env, check=False)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def dev_chain(here):
    status, out, err = tabellion(here, "chain", "init", "dev", "--dev", "--chain-id", "repl-dev")
    assert status == 0, out + err
    return here


def test_chain_steps_are_signed_transactions_in_blocks(dev_chain):
    status, out, err = repl(dev_chain, *SETUP, "call v.deposit(1 EUR) by alice paying 2 EUR", "v.held",
                            ":blocks", "balance(alice)", args=["--chain", "dev"])
    assert status == 1, out + err  # the failed call
    assert err == ""
    address = re.search(r"deployed at (tb1[0-9a-f]{40})", out).group(1)
    assert "ok   call v.deposit(30 EUR) by alice paying 30 EUR" in out
    assert "FAIL call v.deposit(1 EUR) by alice paying 2 EUR" in out
    assert "\n30.00 EUR\n" in out and "\n70.00 EUR\n" in out
    assert "pay 30.00 EUR alice -> " + address in out  # parties print as their names, contracts as addresses
    # :blocks lists the chain's own blocks; the failed call has one too (blocks are final)
    assert "chain repl-dev in dev: height 4" in out
    assert re.search(r"#4 .* 1 tx .*call v\.deposit\(1 EUR\) by alice paying 2 EUR", out)

    status, verified, err = tabellion(dev_chain, "chain", "verify", "dev")
    assert status == 0, verified + err
    assert "verified dev: 5 blocks, 4 transactions" in verified
    status, blocks, err = tabellion(dev_chain, "chain", "blocks", "dev")
    assert status == 0 and len(blocks.strip().split("\n")) == 1 + 5  # a header, genesis and four blocks
    status, show, err = tabellion(dev_chain, "chain", "show", "dev", "3")
    assert status == 0 and "call" in show, show + err


def test_chain_refuses_undo_and_reset_and_a_new_session_sees_the_state(dev_chain):
    status, out, err = repl(dev_chain, *SETUP, ":undo", ":reset", "v.held", args=["--chain", "dev"])
    assert status == 1
    assert "error: cannot undo on a chain: the chain's blocks are final" in out
    assert "error: cannot reset a chain: the chain's blocks are final" in out
    assert out.rstrip().endswith("30.00 EUR")  # nothing was undone
    address = re.search(r"deployed at (tb1[0-9a-f]{40})", out).group(1)

    status, out, err = repl(dev_chain, ":load vault.sc", f":state {address}", f":use w {address}",
                            "w.held", "call w.deposit(5 EUR) by alice paying 5 EUR", "expect w.held == 35 EUR",
                            "expect balance(alice) == 65 EUR", ":parties", args=["--chain", "dev"])
    assert status == 0, out + err
    assert f"{address}: Vault, deployed by alice, balance 30.00 EUR  (read anonymously)" in out
    assert "state held    =  30.00 EUR" in out
    assert f"w = {address}: Vault, deployed by alice" in out
    assert "\n30.00 EUR\n" in out and "ok   expect w.held == 35 EUR" in out
    assert "keeper of w" in out and "bob" in out
    status, held, err = tabellion(dev_chain, "query", address, "held", "--chain", "dev")
    assert (status, held) == (0, "35.00 EUR\n"), err
    assert tabellion(dev_chain, "chain", "verify", "dev")[0] == 0


SECRET = """\
contract Diary {
    party owner
    state note: Text = "dear diary" visible to owner
    entry write(text: Text) by owner { note = text }
}
"""


def test_chain_reads_are_access_checked_and_signed_by_the_as_party(dev_chain):
    (dev_chain / "diary.sc").write_text(SECRET)
    status, out, err = repl(dev_chain, "deploy d = Diary(owner: ann) by ann", "d.note", ":state d", ":as ann",
                            "d.note", args=["diary.sc", "--chain", "dev"])
    assert status == 1, out + err
    assert "error: access denied: field 'note' of contract" in out  # anonymous: refused
    assert re.search(r"state note +=  \(denied: access denied: field 'note' .*\(visible to owner\)", out)
    assert 'calls and deploys without `by` now sign as ann' in out
    assert out.count('"dear diary"') == 1


def test_chain_as_needs_a_known_key_and_fund_needs_a_dev_chain(here):
    assert tabellion(here, "keys", "new", "notary")[0] == 0
    status, out, err = tabellion(here, "chain", "init", "land", "--preset", "public", "--validator", "notary",
                                 "--chain-id", "land")
    assert status == 0, out + err
    status, out, err = repl(here, ":as alice", ":as notary", "fund notary 5 EUR", "deploy v = Vault(keeper: notary)",
                            "call v.deposit(0 EUR)", "expect v.held == 0 EUR", args=["vault.sc", "--chain", "land"])
    assert status == 1, out + err
    assert "error: unknown party 'alice': use an address (tb1...) or the name of a key in the keystore" in out
    assert "calls and deploys without `by` now sign as notary" in out
    assert "FAIL fund notary 5 EUR" in out and "only a dev chain" in out
    assert "ok   deploy v = Vault(keeper: notary) by notary" in out  # signed with the keystore's key
    assert "ok   call v.deposit(0 EUR) by notary" in out and "ok   expect v.held == 0 EUR" in out
    status, verified, err = tabellion(here, "chain", "verify", "land")
    assert status == 0 and "2 transactions" in verified, verified + err


def test_chain_that_does_not_exist(tmp_path):
    status, out, err = repl(tmp_path, "1", args=["--chain", "somewhere"])
    assert status == 1 and out == ""
    assert err.startswith("error: ")


def test_an_empty_session_exits_0(tmp_path):
    assert repl(tmp_path, "", "// a comment") == (0, "", "")


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(("text", "more"), [
    ("contract A {", True),
    ("contract A { }", False),
    ("call w.f(1,", True),
    ('call w.f("(")', False),
    ("fund a 1 EUR // {", False),
    ("/* { */ x", False),
    ("/* open", True),
    ("xs[1", True),
    ("}", False),
])
def test_needs_more(text, more):
    assert needs_more(text) is more


@pytest.mark.parametrize(("text", "rewritten"), [
    ("call w.f(1)", "call w.f(1) by ann"),
    ("call w.f(1) paying 2 EUR", "call w.f(1) by ann paying 2 EUR"),
    ("call w.f(1) by bob", None),
    ("deploy w = C(x: 1)\ndeploy C() paying 1 EUR", "deploy w = C(x: 1) by ann\ndeploy C() by ann paying 1 EUR"),
    ('expect fails call w.f() with "no"', 'expect fails call w.f() by ann with "no"'),
    ("fund ann 1 EUR", None),
])
def test_default_caller_is_written_into_the_step(text, rewritten):
    assert with_default_caller(text, parse_repl_input(text, "<t>"), "ann") == rewritten


def test_saving_leaves_scenarios_and_properties_out():
    text = 'contract A {\n    state n: Int = 0\n    scenario "x" { deploy A() }\n}\nscenario "y" { }\n'
    assert without_scenarios(text, "<t>") == "contract A {\n    state n: Int = 0\n}\n"


def test_history_path(monkeypatch, tmp_path):
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "t"))
    assert history_path() == tmp_path / "t" / "history"
    monkeypatch.delenv("TABELLION_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "x"))
    assert history_path() == tmp_path / "x" / "tabellion" / "history"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "h"))
    assert history_path() == tmp_path / "h" / ".local" / "share" / "tabellion" / "history"
