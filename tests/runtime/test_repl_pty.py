"""`tabellion repl` on a real pseudo-terminal, driven by pexpect.

These start the REPL as a user would (prompt_toolkit, history, completion, the
toolbar) and synchronise only on what it prints. prompt_toolkit asks the terminal for
the cursor position (`ESC [6n`) before it draws the toolbar; `Repl.expect` answers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

PROMPT = "tabellion>"
CPR_REQUEST = "\x1b[6n"

VAULT = [
    "contract Vault {",
    "state held: Money = 0 EUR",
    "entry deposit(amount: Money) by anyone pays any {",
    'require received == amount, "send what you say"',
    "held += amount",
    "}",
    "entry withdraw(amount: Money) by anyone {",
    "held -= amount",
    "pay amount to caller",
    "}",
    "}",
]


class Repl:
    """One REPL process on a 40x120 terminal."""

    def __init__(self, tmp_path, *args):
        env = dict(os.environ, TABELLION_HOME=str(tmp_path / "home"), TERM="xterm")
        env.pop("NO_COLOR", None)
        self.child = pexpect.spawn(sys.executable, ["-m", "tabellion.runtime.cli", "repl", *args], env=env,
                                   cwd=str(tmp_path), dimensions=(40, 120), encoding="utf-8", timeout=30)
        self.child.delaybeforesend = None  # every wait is an expect on output
        self.seen = ""
        self.answered = 0  # cursor position requests answered: one per new prompt
        self.expect(PROMPT)

    def expect(self, pattern: str, regex: bool = False) -> str:
        """Wait for `pattern` (literal unless `regex`), answering cursor position requests."""
        wanted = pattern if regex else re.escape(pattern)
        while True:
            index = self.child.expect([wanted, re.escape(CPR_REQUEST)])
            self.seen += self.child.before + self.child.after
            if index == 0:
                return self.child.after
            self.child.send("\x1b[1;1R")
            self.answered += 1

    def interrupt(self) -> None:
        """Ctrl-C on the line being typed, then wait for the next prompt to take keys again.

        A new prompt asks for the cursor position once its terminal is in raw mode;
        before that, Ctrl-C would be a signal, not a key.
        """
        answered = self.answered
        self.child.send("\x03")
        while self.answered == answered:
            self.child.expect(re.escape(CPR_REQUEST))
            self.seen += self.child.before
            self.child.send("\x1b[1;1R")
            self.answered += 1
        self.expect(PROMPT)

    def line(self, text: str) -> None:
        self.child.send(text + "\r")

    def step(self, text: str, result: str) -> None:
        """Type `text`, wait for `result`, then for the next prompt."""
        self.line(text)
        self.expect(result)
        self.expect(PROMPT)

    def leave(self) -> int:
        self.child.sendeof()
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


@pytest.fixture
def repl(tmp_path):
    started = []

    def start(*args):
        session = Repl(tmp_path, *args)
        started.append(session)
        return session

    yield start
    for session in started:
        if session.child.isalive():
            session.child.terminate(force=True)


def test_a_session_highlights_completes_runs_undoes_and_saves(repl, tmp_path):
    r = repl()
    r.child.send("deploy")
    r.expect(r"\x1b\[[0-9;]*mdeploy", regex=True)  # the keyword arrives coloured as it is typed
    r.child.send(" w = Nothing(")
    r.interrupt()  # Ctrl-C drops the half-typed line
    r.child.send("fund alice 1_000 EUR")
    r.expect(r"\x1b\[[0-9;]*m1_000 EUR", regex=True)
    r.interrupt()

    for text in VAULT[:-1]:
        r.line(text)
    r.line(VAULT[-1])  # the brace that closes the contract ends the input
    r.expect("contract Vault")
    r.expect("entry deposit(amount: Money) by anyone pays any")
    r.expect(PROMPT)

    r.step("fund alice 100 EUR", "alice holds 100.00 EUR")
    r.step("deploy v = Vault() by alice", "deployed at Vault#1")
    r.expect("block 1")  # the toolbar: the deploy took block 1 on the dev chain
    r.child.send("call v.dep\t")
    r.expect("osit")  # Tab completed the entry name
    r.step("(30 EUR) by alice paying 30 EUR", "call v.deposit(30 EUR) by alice paying 30 EUR   [gas")
    r.step("balance(alice)", "70.00 EUR")
    r.step("v.held", "30.00 EUR")
    r.step(":undo", "undone: call v.deposit(30 EUR) by alice paying 30 EUR")
    r.step("balance(alice)", "100.00 EUR")
    r.step("call v.deposit(5 EUR) by alice paying 5 EUR", "pay 5.00 EUR alice -> Vault#1")
    r.line("call v.withdraw(10 EUR) by alice")
    r.expect(r"FAIL\S* call v\.withdraw\(10 EUR\) by alice", regex=True)  # Vault holds 5 EUR: it reverts
    r.expect("insufficient balance")
    r.expect(PROMPT)
    r.step(":balances", "Vault#1")
    r.step(":save session.sc", "saved 3 steps to session.sc")
    assert r.leave() == 0

    replay = subprocess.run([sys.executable, "-m", "tabellion.runtime.cli", "run", "session.sc"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert replay.returncode == 0, replay.stdout + replay.stderr
    assert re.search(r"alice\s+95\.00 EUR", replay.stdout)
    assert re.search(r"Vault#1\s+5\.00 EUR", replay.stdout)
    assert "1 passed, 0 failed" in replay.stdout


def test_history_is_kept_between_sessions(repl, tmp_path):
    first = repl()
    first.step("40 + 2", "42")
    assert first.leave() == 0
    assert (tmp_path / "home" / "history").read_text().count("40 + 2") == 1

    second = repl()
    second.child.send("\x1b[A")  # Up: the last input of the previous session
    second.expect(r"\x1b\[[0-9;]*m40", regex=True)
    second.line("")
    second.expect("42")
    second.expect(PROMPT)
    assert second.leave() == 0


def test_completion_menu_shows_parameters_and_toolbar_shows_party(repl, tmp_path):
    (tmp_path / "vault.sc").write_text("\n".join(VAULT) + "\n")
    r = repl("vault.sc", "--as", "bob")
    r.expect("as bob")
    r.expect("chain dev")
    r.step("deploy v = Vault()", "deployed at Vault#1")
    r.child.send("call v.")
    r.child.send("\t")
    r.expect("(amount: Money) by anyone")  # an entry's parameters beside its name in the menu
    r.interrupt()
    r.step(":as carol", "now run as carol")
    r.expect("as carol")
    r.step(":blocks", "deploy v = Vault() by bob")
    assert r.leave() == 0


def test_ctrl_c_stops_a_running_call_and_changes_nothing(repl, tmp_path):
    r = repl()
    r.line("contract Spin {")
    r.line("state n: Int = 0")
    r.line("entry spin() by anyone { n = 1")
    r.line("while true { n += 1 } } }")
    r.expect("contract Spin")
    r.expect(PROMPT)
    r.step("deploy s = Spin()", "deployed at Spin#1")
    r.step(":trace on", "trace on")
    r.line("call s.spin()")
    r.expect("trace Spin")  # it is running
    r.child.send("\x03")
    r.expect("interrupted: nothing changed")
    r.expect(PROMPT)
    r.step(":trace off", "trace off")
    r.step("s.n", "0")
    r.step(":blocks", "#1")
    assert "#2" not in r.seen.split(":blocks")[-1]
    assert r.leave() == 0
