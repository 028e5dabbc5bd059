"""The REPL's commands that look without changing anything: `:parties`, `:balances`,
`:state`, `:use`, `:events`, `:blocks`, `:gas`, on the development ledger or a chain."""

from __future__ import annotations

import re

from ..numeric import Money
from ..values import Party
from .printer import show
from .source import source_slice

__all__ = ["parties", "balances", "state", "use", "events", "blocks", "gas", "PARTY_NAME"]

PARTY_NAME = re.compile(r"[a-z_][A-Za-z0-9_]*\Z")

def parties(session, argument):
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


def balances(session, argument):
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


def state(session, argument):
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


def use(session, argument):
    """`:use NAME ADDRESS`: name a contract already on the chain, so that steps can call it."""
    name, _, address = argument.partition(" ")
    address = address.strip()
    if not session.on_chain:
        session.printer.error(":use names a contract already on a chain: start with --chain DIR")
        return False
    if not PARTY_NAME.match(name) or not address:
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


def events(session, argument):
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


def blocks(session, argument):
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


def gas(session, argument):
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

