"""Tests of the chain's commands: keys, chain, deploy, call, query, and run --chain.

Most run in-process through `cli.main(argv)`; one drives the real console script.
TABELLION_HOME points at a temporary directory, so the keystore is the test's own.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tabellion.runtime import cli
from tabellion.runtime.keys import dev_keypair

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADDRESS = re.compile(r"tb1[0-9a-f]{40}")

COUNTER = """
contract Counter {
    role owner
    param step: Int = 1
    state count: Int = 0
    state notes: Map[Text, Date]
    event Bumped(count: Int)
    entry bump() by owner {
        count += step
        emit Bumped(count)
    }
    entry note(text: Text, day: Date) by anyone pays any { notes[text] = day }
    entry boom() by anyone { require false, "no way" }
}
"""


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    return tmp_path


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def ok(capsys, *argv):
    status, out, err = run(capsys, *argv)
    assert status == 0, (argv, out, err)
    return out


def fails(capsys, *argv):
    status, out, err = run(capsys, *argv)
    assert status == 1, (argv, out, err)
    assert "Traceback" not in err and "internal error" not in err
    return out + err


def test_keys_new_list_show(home, capsys):
    out = ok(capsys, "keys", "new", "notary")
    address = ADDRESS.search(out).group(0)
    (home / "pass").write_text("correct horse\n")
    assert "(encrypted)" in ok(capsys, "keys", "new", "clerk", "--passphrase-file", home / "pass")
    listing = ok(capsys, "keys", "list")
    assert re.search(rf"notary\s+{address}", listing) and "clerk" in listing and "(encrypted)" in listing
    shown = ok(capsys, "keys", "show", "notary")
    assert address in shown and "encrypted   no" in shown
    assert "already exists" in fails(capsys, "keys", "new", "notary")
    assert "invalid key name" in fails(capsys, "keys", "new", "../evil")
    assert "no key named 'ghost'" in fails(capsys, "keys", "show", "ghost")


def test_a_dev_chain_from_init_to_query(home, capsys):
    chain = home / "chain"
    source = home / "counter.sc"
    source.write_text(COUNTER)
    out = ok(capsys, "chain", "init", chain, "--dev")
    assert "created chain 'dev'" in out and "development mode" in out
    ok(capsys, "chain", "fund", chain, "alice", "50 EUR")
    out = ok(capsys, "deploy", source, "Counter", "--chain", chain, "--as", "alice", "--arg", "owner=[alice, bob]",
             "--arg", "step=2")
    counter = re.search(r"deployed at (tb1[0-9a-f]{40})", out).group(1)
    out = ok(capsys, "call", counter, "bump", "--chain", chain, "--as", "bob")
    assert "event Bumped(count: 2)" in out
    out = ok(capsys, "call", counter, "note", "launch day", "2026-12-01", "--chain", chain, "--as", "alice",
             "--paying", "1.50 EUR")
    assert "pay 1.50 EUR" in out
    out = fails(capsys, "call", counter, "boom", "--chain", chain, "--as", "alice")
    assert "reverted" in out and "no way" in out and "counter.sc:" in out
    out = fails(capsys, "call", counter, "bump", "--chain", chain, "--as", "carol")
    assert "permission denied" in out
    assert ok(capsys, "query", counter, "count", "--chain", chain).strip() == "2"
    assert ok(capsys, "query", counter, "notes", "--chain", chain).strip() == '{"launch day": 2026-12-01}'
    out = ok(capsys, "query", counter, "--chain", chain)
    assert "contract Counter at" in out and "balance   1.50 EUR" in out and "param     step = 2" in out
    assert "did you mean 'count'" in fails(capsys, "query", counter, "cuont", "--chain", chain)
    out = ok(capsys, "query", "alice", "--chain", chain)
    assert "balance   48.50 EUR" in out and "nonce     3" in out

    status = ok(capsys, "chain", "status", chain)
    assert "head         block 6" in status and "contracts    1" in status
    blocks = ok(capsys, "chain", "blocks", chain, "--from", "5")
    assert [line.split()[0] for line in blocks.splitlines()[1:]] == ["5", "6"]
    shown = ok(capsys, "chain", "show", chain, "2")
    assert "block 2" in shown and "deploy Counter from counter.sc" in shown and "[success]" in shown
    tx_hash = re.search(r"^\s+0 ([0-9a-f]{16})", shown, re.MULTILINE).group(1)
    shown = ok(capsys, "chain", "show", chain, tx_hash)
    assert "kind       deploy" in shown and "owner: [" in shown and "deployed at" in shown
    assert "genesis document" in ok(capsys, "chain", "show", chain, "0")
    assert "no block at height 99" in fails(capsys, "chain", "show", chain, "99")
    assert "neither a height nor a hash" in fails(capsys, "chain", "show", chain, "xyz")
    out = ok(capsys, "chain", "verify", chain)
    assert "verified" in out and "7 blocks, 6 transactions" in out


def test_command_line_mistakes_are_reported(home, capsys):
    chain = home / "chain"
    source = home / "counter.sc"
    source.write_text(COUNTER)
    ok(capsys, "chain", "init", chain, "--dev")
    assert "has no contract 'Nope'" in fails(capsys, "deploy", source, "Nope", "--chain", chain, "--as", "a")
    assert "has no param, role or party named 'colour'" in fails(
        capsys, "deploy", source, "Counter", "--chain", chain, "--as", "a", "--arg", "colour=1")
    assert "--arg step: expected Int" in fails(
        capsys, "deploy", source, "Counter", "--chain", chain, "--as", "a", "--arg", 'step="two"')
    out = ok(capsys, "deploy", source, "Counter", "--chain", chain, "--as", "a")
    counter = re.search(r"deployed at (tb1[0-9a-f]{40})", out).group(1)
    assert "note is missing argument(s): day" in fails(capsys, "call", counter, "note", "x", "--chain", chain,
                                                         "--as", "a")
    assert "cannot read '2026-13-45'" in fails(capsys, "call", counter, "note", "x", "2026-13-45", "--chain",
                                                chain, "--as", "a")
    assert "has no entry 'bumpp'" in fails(capsys, "call", counter, "bumpp", "--chain", chain, "--as", "a")
    assert "no contract at" in fails(capsys, "call", "tb1" + "0" * 40, "bump", "--chain", chain, "--as", "a")
    assert "is not an address" in fails(capsys, "call", "Counter#1", "bump", "--chain", chain, "--as", "a")
    broken = home / "broken.sc"
    broken.write_text("contract {")
    status, _, err = run(capsys, "deploy", broken, "X", "--chain", chain, "--as", "a")
    assert status == 1 and "error[" in err


def test_a_production_chain_needs_keys(home, capsys):
    chain = home / "chain"
    assert "needs --validator KEY" in fails(capsys, "chain", "init", chain)
    ok(capsys, "keys", "new", "notary")
    (home / "pass").write_text("s3cret")
    ok(capsys, "keys", "new", "clerk", "--passphrase-file", home / "pass")
    out = ok(capsys, "chain", "init", chain, "--validator", "notary", "--chain-id", "land-registry",
             "--members-only", "--member", "clerk:writer", "--allocate", "clerk=100 EUR")
    assert "created chain 'land-registry'" in out and "members     2" in out
    assert "no key named 'alice'" in fails(capsys, "chain", "transfer", chain, "notary", "1 EUR", "--as", "alice")
    assert "accepted only on development chains" in fails(capsys, "chain", "fund", chain, "clerk", "1 EUR")
    assert "is encrypted: pass --passphrase-file" in fails(capsys, "chain", "transfer", chain, "notary", "1 EUR",
                                                            "--as", "clerk")
    out = ok(capsys, "chain", "transfer", chain, "notary", "1 EUR", "--as", "clerk", "--passphrase-file",
             home / "pass")
    assert "pay 1.00 EUR" in out and "(clerk)" in out and "(notary)" in out
    (home / "wrong").write_text("nope")
    assert "wrong passphrase" in fails(capsys, "chain", "transfer", chain, "notary", "1 EUR", "--as", "clerk",
                                       "--passphrase-file", home / "wrong")
    ok(capsys, "keys", "new", "stranger")
    out = fails(capsys, "chain", "transfer", chain, "notary", "1 EUR", "--as", "stranger")
    assert "transaction rejected: access denied: submitting a transfer transaction" in out and "writer role" in out
    assert "scenarios sign with development keys" in fails(capsys, "run", EXAMPLES / "flight_delay.sc",
                                                           "--chain", chain)
    assert "members      2" in ok(capsys, "chain", "status", chain)
    assert "verified" in ok(capsys, "chain", "verify", chain)


def test_a_dev_key_cannot_validate_a_production_chain(home, capsys):
    assert "no key named 'validator'" in fails(capsys, "chain", "init", home / "c", "--validator", "validator")


@pytest.mark.parametrize("example", ["flight_delay.sc", "film_waterfall.sc", "royalties.sc"])
def test_run_plays_scenarios_on_a_fresh_dev_chain(home, capsys, example):
    chain = home / "chain"
    ok(capsys, "chain", "init", chain, "--dev")
    out = ok(capsys, "run", EXAMPLES / example, "--chain", chain)
    assert "0 failed" in out and not ADDRESS.search(out.split("chain dev in")[0]), out
    assert "verified" in ok(capsys, "chain", "verify", chain)
    out = ok(capsys, "chain", "status", chain)
    assert "contracts    0" not in out


def test_run_keeps_each_scenarios_parties_apart(home, capsys):
    chain = home / "chain"
    ok(capsys, "chain", "init", chain, "--dev")
    out = ok(capsys, "run", EXAMPLES / "flight_delay.sc", "--chain", chain, "-q")
    assert "2 passed, 0 failed" in out
    alice = dev_keypair("a delayed flight pays out, a punctual one does not/alice").address
    assert "250.00 EUR" in ok(capsys, "query", alice, "--chain", chain)


def test_the_console_script_end_to_end(home):
    chain = home / "chain"
    source = home / "counter.sc"
    source.write_text(COUNTER)
    env = {**os.environ, "TABELLION_HOME": str(home / "home")}

    def script(*argv):
        command = [sys.executable, "-m", "tabellion.runtime.cli", *map(str, argv)]
        done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120, env=env)
        assert "Traceback" not in done.stderr
        return done

    assert script("chain", "init", chain, "--dev").returncode == 0
    done = script("deploy", source, "Counter", "--chain", chain, "--as", "alice", "--arg", "owner=alice")
    counter = re.search(r"deployed at (tb1[0-9a-f]{40})", done.stdout).group(1)
    assert script("call", counter, "bump", "--chain", chain, "--as", "alice").returncode == 0
    assert script("query", counter, "count", "--chain", chain).stdout.strip() == "1"
    assert script("chain", "verify", chain).returncode == 0
