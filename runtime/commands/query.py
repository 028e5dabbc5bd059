"""`tabellion query ADDRESS [FIELD] --chain DIR`: read a contract's state, or an account.

For a contract: its name, code, deployer, balances, params, roles and state
fields, or only FIELD (a state field, param, role, or `balance`). For an account:
its balances, nonce and membership. Values print as Tabellion literals. (Read
policies — `visible to` and members-only reading — arrive with the permissions
issue; today every reader of the chain directory sees everything.)
"""

from __future__ import annotations

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("address", metavar="ADDRESS", help="a contract's or an account's address (or key name)")
    parser.add_argument("field", metavar="FIELD", nargs="?", help="print only this field")
    parser.add_argument("--chain", metavar="DIR", required=True, help="the chain directory")


def run(args) -> int:
    from ..chain.cli_support import Names
    from ..chain.node import Chain

    with Chain.open(args.chain, readonly=True) as chain:
        names = Names(chain.config.dev)
        party = names.party(args.address)
        instance = chain.state.instances.get(party)
        if instance is None:
            return _account(chain, party, names, args.field)
        return _contract(chain, instance, names, args.field)


def _balances(state, party) -> list:
    from ..numeric import Money

    found = [Money(units, currency) for (owner, currency), units in state.balances.items() if owner == party and units]
    return sorted(found, key=lambda m: m.currency) or [Money(0, state.native)]


def _account(chain, party, names, field) -> int:
    from ..chain.errors import ChainError

    state = chain.state
    if field is not None:
        if field != "balance":
            raise ChainError(f"{party} is an account, not a contract: only `balance` can be queried")
        for money in _balances(state, party):
            print(money)
        return 0
    roles = state.membership["members"].get(party.name)
    print(f"account {names.show(party)}")
    print(f"  balance   {', '.join(map(str, _balances(state, party)))}")
    print(f"  nonce     {state.nonces.get(party, 0)}")
    if roles:
        print(f"  member    {', '.join(roles)}")
    return 0


def _contract(chain, instance, names, field) -> int:
    from tabellion.lang.diagnostics import closest

    from ..chain.errors import ChainError
    from ..values import format_value

    state = chain.state
    info = instance.contract.info
    roles = {role: list(members) for role, members in instance.roles.items()}
    if field is not None:
        if field == "balance":
            for money in _balances(state, instance.address):
                print(money)
            return 0
        for table in (instance.storage, instance.params, roles):
            if field in table:
                print(format_value(table[field]))
                return 0
        if field in info.state:
            raise ChainError(f"state '{field}' of {instance.name} has not been set")
        known = [*info.state, *instance.params, *roles, "balance"]
        hint = closest(field, known)
        raise ChainError(f"{instance.name} has no field '{field}'" + (f" (did you mean '{hint}'?)" if hint else ""))
    code_hash = state.instance_code.get(instance.address, b"")
    code = state.codes.get(code_hash)
    print(f"contract {instance.name} at {instance.address}")
    print(f"  code      {code_hash.hex()[:16]} ({code.file if code else '?'})")
    print(f"  deployer  {names.show(instance.deployer)}")
    print(f"  balance   {', '.join(map(str, _balances(state, instance.address)))}")
    for name, value in instance.params.items():
        print(f"  param     {name} = {format_value(value)}")
    for role, members in roles.items():
        print(f"  role      {role} = [{', '.join(names.show(p) for p in members)}]")
    for name in info.state:
        value = instance.storage.get(name)
        print(f"  state     {name} = {format_value(value) if name in instance.storage else '(not set)'}")
    return 0
