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
        party = _party_address(session, name)
        held = [str(Money(units, currency)) for (owner, currency), units in sorted(state.balances.items(),
                key=lambda kv: kv[0][1]) if owner == party and units] or [str(Money(0, state.native))]
        mark = "*" if name == session.party else " "
        rows.append((f"{mark} {name}", ", ".join(held), "; ".join(roles.get(party.name, ()))))
    if not rows:
        session.printer.line("no parties yet: `fund alice 100 EUR` names one")
    session.printer.table(rows)
    return True


def _party_address(session, name: str) -> Party:
    """The party `name` stands for: itself on the development ledger, its key's address on a chain."""
    if not session.on_chain:
        return Party(name)
    from ..chain.errors import ChainError

    try:
        return session.ledger.address(Party(name))
    except ChainError:
        return Party(name)


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
    if session.on_chain:
        return _chain_state(session, address)
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


def _use(session, argument):
    """`:use NAME ADDRESS`: name a contract already on the chain, so that steps can call it."""
    name, _, address = argument.partition(" ")
    address = address.strip()
    if not session.on_chain:
        session.printer.error(":use names a contract already on a chain: start with --chain DIR")
        return False
    if not _PARTY_NAME.match(name) or not address:
        session.printer.error("usage: :use NAME ADDRESS")
        return False
    instance = session.ledger.state.instances.get(Party(address))
    if instance is None:
        session.printer.error(f"no contract at {address} on this chain")
        return False
    if instance.name not in session.contracts():
        session.printer.error(f"{address} is a {instance.name}: :load the file that declares it first")
        return False
    env = session.checker.env
    if name in env.scenario.instances or env.scope.lookup(name):
        session.printer.error(f"'{name}' is already bound")
        return False
    env.scenario.instances[name] = instance.name
    session.context.instances[name] = instance.address
    session.printer.line(f"{name} = {instance.address}: {instance.name}, deployed by {instance.deployer}")
    return True


def _chain_state(session, address) -> bool:
    """`:state` on a chain: the contract as the node's read interface shows it to the `:as` party."""
    from .. import access

    request = session.read_request(access.Action.READ_STATE, access.Contract(address.name))
    try:
        view = session.reads.state(request, address.name)
    except access.AccessDenied as error:
        session.printer.error(error.decision.reason)
        return False
    label = next((f"{n} = " for n, a in session.context.instances.items() if a == address), "")
    reader = f"read as {session.party}" if session.party else "read anonymously"
    session.printer.line(f"{label}{address}: {view.name}, deployed by {view.deployer}, "
                         f"balance {', '.join(map(str, view.balances))}  ({reader})")
    info = session.ledger.state.instances[address].contract.info
    rows = [(f"param {name}", "=", show(view.params[name])) for name in info.params if name in view.params]
    rows += [(f"party {name}", "=", show(view.params[name])) for name in info.parties if name in view.params]
    rows += [(f"role {name}", "=", "[" + ", ".join(str(p) for p in members) + "]")
             for name, members in view.roles.items()]
    for name, value in view.fields.items():
        if isinstance(value, access.AccessDenied):
            shown = f"(denied: {value.decision.reason})"
        else:
            shown = "(not set)" if value is None else show(value)
        hidden = f"   (visible to {', '.join(info.state[name].visible_to)})" if info.state[name].visible_to else ""
        rows.append((f"state {name}", "=", shown + hidden))
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
    if session.on_chain:
        return _chain_events(session, count)
    rows = []
    for height, receipt in enumerate(session.ledger.receipts, 1):
        for event in receipt.events:
            rows.append((f"#{height}", str(event.contract), str(event)))
    if not rows:
        session.printer.line("no events yet")
    session.printer.table(rows[-count:])
    return True


def _chain_events(session, count: int) -> bool:
    from .. import access

    found = session.reads.events(session.read_request(access.Action.READ_EVENTS, access.Events(None)))
    rows = [(f"#{height}", address, f"{name}({', '.join(f'{k}: {show(v)}' for k, v in values)})")
            for height, _, address, name, values in found[-count:]]
    if not rows:
        session.printer.line("no events on the chain yet")
    session.printer.table(rows)
    return True


def _chain_blocks(session, count: int) -> bool:
    """The chain's own last `count` blocks, with the step that made each one in this session."""
    from .. import access
    from ..keys import address_of
    from ..temporal import Time

    chain = session.chain
    start = max(chain.height - count + 1, 0)
    found = session.reads.blocks(session.read_request(access.Action.READ_BLOCKS, access.Block(None)), start)
    rows = []
    for height, block_hash, header in found:
        text = session.blocks.get(height, (None, ""))[1] if height else "genesis"
        rows.append((f"#{height}", block_hash.hex()[:16], str(Time(header.timestamp)),
                     f"{header.tx_count} tx", f"gas {header.gas_used:_}", address_of(header.proposer)[:12], text))
    session.printer.line(f"chain {chain.config.chain_id} in {session.chain_dir}: height {chain.height}, "
                         f"head {found[-1][1].hex()[:16] if found else '?'}")
    session.printer.table(rows)
    return True


def _blocks(session, argument):
    count = _count(session, argument)
    if count is None:
        return False
    if session.on_chain:
        return _chain_blocks(session, count)
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
