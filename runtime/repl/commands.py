"""The REPL's own commands, the lines that start with `:` (`:load`, `:undo`, `:save`, ...).

`COMMANDS` is the table `:help` prints and completion offers; each handler takes the
session and the rest of the line and returns whether it succeeded.
"""

from __future__ import annotations

from ..values import Party
from .inspection import PARTY_NAME as _PARTY_NAME
from .inspection import balances as _balances, blocks as _blocks, events as _events, gas as _gas
from .inspection import parties as _parties, state as _state, use as _use

__all__ = ["COMMANDS", "ReplCommand", "find_command", "run_command"]


class ReplCommand:
    __slots__ = ("aliases", "details", "handler", "name", "summary", "usage")

    def __init__(self, name, usage, summary, details, handler, aliases=()):
        self.name, self.usage, self.summary = name, usage, summary
        self.details, self.handler, self.aliases = details, handler, aliases


def run_command(session, line: str) -> bool:
    word, _, argument = line[1:].partition(" ")
    command = find_command(word)
    if command is None:
        from tabellion.lang.diagnostics import closest

        guess = closest(word, [c.name for c in COMMANDS])
        hint = f" (did you mean :{guess}?)" if guess else ""
        session.printer.error(f"unknown command ':{word}'{hint}; :help lists them")
        return False
    return command.handler(session, argument.strip())


def find_command(word: str):
    for command in COMMANDS:
        if word == command.name or word in command.aliases:
            return command
    return None


# ---------------------------------------------------------------- contracts


def _load(session, argument):
    if not argument:
        session.printer.error("usage: :load FILE")
        return False
    return session.load(argument)


def _reload(session, argument):
    from tabellion.lang.errors import CompileError
    from tabellion.lang.reading import read_source

    from .source import Chunk

    candidate, changed = session.source, []
    for chunk in session.source.files:
        try:
            text = read_source(chunk.path)
        except CompileError as error:
            session.printer.diagnostics(error.diagnostics, session.source)
            return False
        if text != chunk.text:
            candidate = candidate.with_file(Chunk(chunk.path, text, text, 1, chunk.path))
            changed.append(chunk.path)
    if not changed:
        session.printer.line("nothing changed" if session.source.files else "no files loaded: :load FILE first")
        return True
    return session.change_module(candidate, f"reloaded {', '.join(changed)}")


# ---------------------------------------------------------------- parties and money


def _as(session, argument):
    if not argument:
        session.printer.line(f"calls and deploys without `by` run as {session.party or 'the scenario default'}")
        return True
    if argument in ("-", "default"):
        session.party = None
        session.printer.line("calls run as their contract's deployer again, deploys as `deployer`")
        return True
    from tabellion.lang.lexer import (
        DECLARATION_KEYWORDS,
        STATEMENT_KEYWORDS,
        WORD_OPERATORS,
    )

    if not _PARTY_NAME.match(argument) or argument in (*DECLARATION_KEYWORDS, *STATEMENT_KEYWORDS,
                                                       *WORD_OPERATORS, "true", "false", "import"):
        session.printer.error(f"'{argument}' is not a party name (lower-case letters, digits and _)")
        return False
    if session.on_chain:
        from ..chain.errors import ChainError

        try:
            address = session.ledger.address(Party(argument)).name
        except ChainError as error:
            session.printer.error(str(error))
            return False
        session.party = argument
        session.printer.line(f"calls and deploys without `by` now sign as {argument}, and so do reads "
                             f"(address {address[:12]}...)")
        return True
    session.party = argument
    session.printer.line(f"calls and deploys without `by` now run as {argument}")
    return True


def _trace(session, argument):
    if argument not in ("on", "off", ""):
        session.printer.error("usage: :trace on|off")
        return False
    if argument:
        session.trace_on = argument == "on"
    session.printer.line(f"trace {'on' if session.trace_on else 'off'}")
    return True


# ---------------------------------------------------------------- history


_FINAL = "the chain's blocks are final: nothing is undone (a new transaction can change the state back)"


def _undo(session, argument):
    if session.on_chain:
        session.printer.error(f"cannot undo on a chain: {_FINAL}")
        return False
    undone = session.undo()
    if not undone:
        session.printer.line("nothing to undo")
        return True
    for entry in undone:
        session.printer.line(f"undone: {' '.join(entry.text.split())}")
    return True


def _reset(session, argument):
    if session.on_chain:
        session.printer.error(f"cannot reset a chain: {_FINAL}; for a fresh one, "
                              "`tabellion chain init DIR --dev` and `tabellion repl --chain DIR`")
        return False
    session.reset()
    names = ", ".join(session.checked.contracts) or "none"
    session.printer.line(f"a fresh ledger: balances, instances and bindings cleared (contracts kept: {names})")
    return True


def _save(session, argument):
    if not argument:
        session.printer.error("usage: :save FILE")
        return False
    steps = [_indent(entry.text) for entry in session.log]
    text = ("// Saved from `tabellion repl`. Replay it with `tabellion run " + argument + "`.\n\n"
            + session.source.module_text_for_saving()
            + ("\n" if session.source.chunks else "")
            + 'scenario "repl session" {\n' + "".join(f"{s}\n" for s in steps) + "}\n")
    try:
        with open(argument, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        session.printer.error(f"cannot write {argument}: {error.strerror or error}")
        return False
    session.printer.line(f"saved {len(steps)} step{'s' * (len(steps) != 1)} to {argument}")
    return True


def _indent(text: str) -> str:
    return "\n".join("    " + line if line.strip() else "" for line in text.split("\n"))


# ---------------------------------------------------------------- the REPL itself


def _help(session, argument):
    if argument:
        command = find_command(argument.lstrip(":"))
        if command is None:
            session.printer.error(f"no command ':{argument.lstrip(':')}'")
            return False
        session.printer.line(f":{command.usage}   {command.summary}")
        session.printer.line("  " + command.details)
        return True
    session.printer.line("Type contracts, scenario steps (fund, deploy, call, wait, at, expect, let) or an expression.")
    session.printer.line("Input goes on while a bracket is open. Tab completes; Ctrl-C cancels; Ctrl-D leaves.")
    session.printer.table([(f":{c.usage}", c.summary) for c in COMMANDS])
    return True


def _quit(session, argument):
    session.quit = True
    return True


COMMANDS = (
    ReplCommand("load", "load FILE", "add the contracts of a .sc file",
                "Checks the file with the session's other contracts; its scenarios are not run. "
                "Loading a file again replaces it.", _load),
    ReplCommand("reload", "reload", "reread loaded files, redeploy what changed",
                "Rereads every loaded file; if one changed, the session's steps are replayed on a fresh "
                "ledger with the new contracts, and steps that no longer pass are dropped.", _reload),
    ReplCommand("as", "as [PARTY]", "call and deploy as PARTY when a step has no `by`",
                "`:as alice` adds `by alice` to later calls and deploys that name no caller "
                "(`:save` writes it out); `:as default` goes back to the scenario defaults.", _as),
    ReplCommand("parties", "parties", "parties seen so far, their balances and roles",
                "Every party funded, paid, named in a step or holding a role; * marks the `:as` party.", _parties),
    ReplCommand("balances", "balances", "every balance that is not zero",
                "Parties and contracts, in every currency.", _balances),
    ReplCommand("state", "state [CONTRACT]", "params, roles and state of a deployed contract",
                "CONTRACT is an instance name (w), an address (Film#1) or a contract deployed once; "
                "without it, the contract deployed last without a name.", _state),
    ReplCommand("use", "use NAME ADDRESS", "name a contract already on the chain (--chain)",
                "On a chain, `:use w tb1...` binds w to the contract at that address (deployed by an "
                "earlier session or another tool), so that `call w.entry(...)` and `w.field` work; "
                "its contract must be loaded.", _use),
    ReplCommand("events", "events [N]", "the last N events (10)",
                "Events of the transactions on the ledger, with their block.", _events),
    ReplCommand("blocks", "blocks [N]", "the last N transactions (10)",
                "Each transaction is one block on the development ledger; a call that fails at the prompt "
                "takes none. On a chain (--chain DIR): the chain's own last N blocks, failed transactions "
                "included.", _blocks),
    ReplCommand("gas", "gas", "the last transaction's gas, by statement",
                "Gas used by the last deploy or call (failed ones too), broken down by the statements a call "
                "ran; a straight-line block's fixed cost counts where the block is entered.", _gas),
    ReplCommand("trace", "trace on|off", "print each statement a call runs",
                "With trace on, each statement is printed with its file and line as it runs.", _trace),
    ReplCommand("undo", "undo", "go back to before the last step that changed something",
                "Removes the last transaction, funding, clock move or binding (and the expectations after "
                "it) by replaying the session without it. Refused on a chain: blocks are final.", _undo),
    ReplCommand("reset", "reset", "a fresh ledger, keeping the contracts",
                "Clears balances, deployed contracts, names bound and the step log. Refused on a chain.", _reset),
    ReplCommand("save", "save FILE", "write the session as a .sc file with a scenario",
                "Writes the session's contracts (without their own scenarios) and one scenario holding every "
                "step that succeeded; `tabellion run FILE` replays it to the same balances.", _save),
    ReplCommand("help", "help [COMMAND]", "this list, or one command in detail", "", _help, ("h", "?")),
    ReplCommand("quit", "quit", "leave (so does Ctrl-D)", "", _quit, ("q", "exit")),
)
