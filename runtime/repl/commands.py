"""The REPL's own commands, the lines that start with `:` (`:load`, `:undo`, `:save`, ...).

`COMMANDS` is the table `:help` prints and completion offers; each handler takes the
session and the rest of the line and returns whether it succeeded.
"""

from __future__ import annotations

import re

from ..numeric import Money
from ..values import Party
from .printer import show
from .source import source_slice

__all__ = ["COMMANDS", "ReplCommand", "find_command", "run_command"]

_PARTY_NAME = re.compile(r"[a-z_][A-Za-z0-9_]*\Z")


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
    session.party = argument
    session.printer.line(f"calls and deploys without `by` now run as {argument}")
    return True


def _parties(session, argument):
    state = session.ledger.state
    roles: dict[str, list[str]] = {}
    for label, instance in _named_instances(session).items():
        for role, members in instance.roles.items():
            for member in members:
                roles.setdefault(member.name, []).append(f"{role} of {label}")
        for param, value in instance.params.items():
            if isinstance(value, Party) and param in instance.contract.info.parties:
                roles.setdefault(value.name, []).append(f"{param} of {label}")
    rows = []
    for name in session.parties():
        party = Party(name)
        held = [str(Money(units, currency)) for (owner, currency), units in sorted(state.balances.items(),
                key=lambda kv: kv[0][1]) if owner == party and units] or [str(Money(0, state.native))]
        mark = "*" if name == session.party else " "
        rows.append((f"{mark} {name}", ", ".join(held), "; ".join(roles.get(name, ()))))
    if not rows:
        session.printer.line("no parties yet: `fund alice 100 EUR` names one")
    session.printer.table(rows)
    return True


def _balances(session, argument):
    state = session.ledger.state
    rows = [(str(owner), str(Money(units, currency))) for (owner, currency), units in sorted(
        state.balances.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])) if units]
    if not rows:
        session.printer.line("every balance is zero")
    session.printer.table(rows)
    return True


# ---------------------------------------------------------------- contracts on the ledger


def _named_instances(session) -> dict:
    """label -> Instance for every deployed contract: `w (Film#1)`, or the address alone."""
    state = session.ledger.state
    names = {address: name for name, address in session.context.instances.items()}
    return {(f"{names[a]} ({a})" if a in names else str(a)): instance for a, instance in state.instances.items()}


def _state(session, argument):
    state = session.ledger.state
    address = None
    if not argument:
        address = session.context.current
        if address is None and len(state.instances) == 1:
            address = next(iter(state.instances))
    elif argument in session.context.instances:
        address = session.context.instances[argument]
    elif Party(argument) in state.instances:
        address = Party(argument)
    else:
        matching = [a for a, i in state.instances.items() if i.name == argument]
        if len(matching) == 1:
            address = matching[0]
    if address is None:
        known = ", ".join(_named_instances(session)) or "none deployed"
        session.printer.error(f"no contract '{argument}' to show" if argument else
                              f"which contract? :state NAME ({known})")
        return False
    instance = state.instances[address]
    label = next((f"{n} = " for n, a in session.context.instances.items() if a == address), "")
    session.printer.line(f"{label}{address}: {instance.name}, deployed by {instance.deployer}, "
                         f"balance {state.balance(address)}")
    info = instance.contract.info
    rows = [(f"param {name}", "=", show(instance.params[name])) for name in info.params if name in instance.params]
    rows += [(f"party {name}", "=", show(instance.params[name])) for name in info.parties if name in instance.params]
    rows += [(f"role {name}", "=", "[" + ", ".join(str(p) for p in members) + "]")
             for name, members in instance.roles.items()]
    for name in info.state:
        value = show(instance.storage[name]) if name in instance.storage else "(not set)"
        hidden = f"   (visible to {', '.join(info.state[name].visible_to)})" if info.state[name].visible_to else ""
        rows.append((f"state {name}", "=", value + hidden))
    for key in instance.storage:
        if isinstance(key, str) and key.startswith("waterfall:"):
            rows.append((f"waterfall {key[len('waterfall:'):]}", "=", show(instance.storage[key])))
    session.printer.table(rows)
    return True


def _count(session, argument, default: int = 10):
    if not argument:
        return default
    if argument.isdigit() and int(argument) > 0:
        return int(argument)
    session.printer.error(f"expected a positive count, not '{argument}'")
    return None


def _events(session, argument):
    count = _count(session, argument)
    if count is None:
        return False
    rows = []
    for height, receipt in enumerate(session.ledger.receipts, 1):
        for event in receipt.events:
            rows.append((f"#{height}", str(event.contract), str(event)))
    if not rows:
        session.printer.line("no events yet")
    session.printer.table(rows[-count:])
    return True


def _blocks(session, argument):
    count = _count(session, argument)
    if count is None:
        return False
    rows = []
    for height, receipt in enumerate(session.ledger.receipts, 1):
        when, text = session.blocks.get(height, ("", ""))
        rows.append((f"#{height}", str(when), receipt.status, f"gas {receipt.gas_used:_}", text))
    if not rows:
        session.printer.line(f"no transactions yet (height 0, {session.ledger.now})")
    session.printer.table(rows[-count:])
    return True


# ---------------------------------------------------------------- gas and tracing


def _gas(session, argument):
    receipt = session.last_receipt
    if receipt is None:
        session.printer.line("no transaction yet")
        return True
    what = f"{receipt.kind} {receipt.entry or ''} by {receipt.caller}".replace("  ", " ")
    session.printer.line(f"{what}: {receipt.status}, gas {receipt.gas_used:_} of {receipt.gas_limit:_}")
    trace = session.last_gas
    if not trace:
        if receipt.kind == "deploy":
            session.printer.line("  (a deploy's gas is not broken down by statement)")
        return True
    overhead = trace[0][1]
    totals: dict = {}
    for index, (span, used, instance) in enumerate(trace):
        following = trace[index + 1][1] if index + 1 < len(trace) else receipt.gas_used
        gas, runs, _ = totals.get(span, (0, 0, instance))
        totals[span] = (gas + following - used, runs + 1, instance)
    rows = [(f"{overhead:_}", "", "the transaction, its payment and the entry's first block")]
    for span, (gas, runs, instance) in totals.items():
        located, text = session.source.locate(span)
        statement = source_slice(text, located).split("\n")[0].strip() if text else ""
        rows.append((f"{gas:_}", f"{runs:_}", f"{located}  {statement}"))
    session.printer.line("  by statement (a straight-line block's fixed cost is charged where the block is entered):")
    session.printer.table(rows, indent="    ", header=("gas", "runs", "statement"))
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


def _undo(session, argument):
    undone = session.undo()
    if not undone:
        session.printer.line("nothing to undo")
        return True
    for entry in undone:
        session.printer.line(f"undone: {' '.join(entry.text.split())}")
    return True


def _reset(session, argument):
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
    ReplCommand("events", "events [N]", "the last N events (10)",
                "Events of the transactions on the ledger, with their block.", _events),
    ReplCommand("blocks", "blocks [N]", "the last N transactions (10)",
                "Each transaction is one block on the development ledger; a call that fails at the prompt "
                "takes none.", _blocks),
    ReplCommand("gas", "gas", "the last transaction's gas, by statement",
                "Gas used by the last deploy or call (failed ones too), broken down by the statements a call "
                "ran; a straight-line block's fixed cost counts where the block is entered.", _gas),
    ReplCommand("trace", "trace on|off", "print each statement a call runs",
                "With trace on, each statement is printed with its file and line as it runs.", _trace),
    ReplCommand("undo", "undo", "go back to before the last step that changed something",
                "Removes the last transaction, funding, clock move or binding (and the expectations after "
                "it) by replaying the session without it.", _undo),
    ReplCommand("reset", "reset", "a fresh ledger, keeping the contracts",
                "Clears balances, deployed contracts, names bound and the step log.", _reset),
    ReplCommand("save", "save FILE", "write the session as a .sc file with a scenario",
                "Writes the session's contracts (without their own scenarios) and one scenario holding every "
                "step that succeeded; `tabellion run FILE` replays it to the same balances.", _save),
    ReplCommand("help", "help [COMMAND]", "this list, or one command in detail", "", _help, ("h", "?")),
    ReplCommand("quit", "quit", "leave (so does Ctrl-D)", "", _quit, ("q", "exit")),
)
