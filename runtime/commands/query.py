"""`tabellion query ADDRESS [FIELD] --chain DIR`: read a contract's state, or an account.

For a contract: its name, code, deployer, balances, params, roles and state
fields, or only FIELD (a state field, param, role, or `balance`). For an account:
its balances, nonce and membership. Values print as Tabellion literals.

Every query is a read request through the node's read interface (`chain/reads.py`):
signed with `--as KEY`, or anonymous without it, and checked by `access.decide`. A
`visible to` field the reader may not see prints its access error in place of the
value; the rest of the state is shown.
"""

from __future__ import annotations

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..chain.cli_support import add_reader_arguments

    parser.add_argument("address", metavar="ADDRESS", help="a contract's or an account's address (or key name)")
    parser.add_argument("field", metavar="FIELD", nargs="?", help="print only this field")
    parser.add_argument("--chain", metavar="DIR", required=True, help="the chain directory")
    add_reader_arguments(parser)


def run(args) -> int:
    from .. import access
    from ..chain.cli_support import Names, load_reader, read_request
    from ..chain.node import Chain
    from ..chain.reads import Reads

    with Chain.open(args.chain, readonly=True) as chain:
        names = Names(chain.config.dev)
        reader = load_reader(chain, args)
        if reader is not None:
            names.remember(args.as_key, reader.public_key)
        address = names.party(args.address).name
        reads = Reads(chain)
        if args.field is not None:
            request = read_request(chain, reader, access.Action.READ_FIELD, access.Field(address, args.field))
            found, value = reads.field(request, address, args.field)
            return _field(chain, address, args.field, found, value)
        own = reader is not None and reader.address == address
        resource = access.Account(address) if own else access.Contract(address)
        found = reads.state(read_request(chain, reader, access.Action.READ_STATE, resource), address)
        if isinstance(found, tuple):
            return _account(address, found, names)
        return _contract(found, names)


def _field(chain, address, field, found, value) -> int:
    from tabellion.lang.diagnostics import closest

    from ..chain.errors import ChainError
    from ..values import format_value

    if found:
        for item in (value if field == "balance" else [value]):
            print(item if field == "balance" else format_value(item))
        return 0
    instance = chain.state.instances.get(_party(address))
    if instance is None:
        if field == "balance":
            from ..chain.reads import balances

            for money in balances(chain.state, _party(address)):
                print(money)
            return 0
        raise ChainError(f"{address} is an account, not a contract: only `balance` can be queried")
    info = instance.contract.info
    if field in info.state:
        raise ChainError(f"state '{field}' of {instance.name} has not been set")
    known = [*info.state, *instance.params, *instance.roles, "balance"]
    hint = closest(field, known)
    raise ChainError(f"{instance.name} has no field '{field}'" + (f" (did you mean '{hint}'?)" if hint else ""))


def _party(address):
    from ..values import Party

    return Party(address)


def _account(address, found, names) -> int:
    money, nonce, roles = found
    print(f"account {names.show(address)}")
    print(f"  balance   {', '.join(map(str, money))}")
    print(f"  nonce     {nonce}")
    if roles:
        print(f"  member    {', '.join(roles)}")
    return 0


def _contract(view, names) -> int:
    from .. import access
    from ..values import format_value

    print(f"contract {view.name} at {view.address}")
    print(f"  code      {view.code_hash.hex()[:16]} ({view.file})")
    print(f"  deployer  {names.show(view.deployer)}")
    print(f"  balance   {', '.join(map(str, view.balances))}")
    for name, value in view.params.items():
        print(f"  param     {name} = {format_value(value)}")
    for role, members in view.roles.items():
        print(f"  role      {role} = [{', '.join(names.show(p) for p in members)}]")
    for name, value in view.fields.items():
        if isinstance(value, access.AccessDenied):
            shown = f"(error: {value.decision.reason})"
        elif value is None:
            shown = "(not set)"
        else:
            shown = format_value(value)
        print(f"  state     {name} = {shown}")
    return 0
