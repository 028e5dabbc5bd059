"""`tabellion call ADDRESS ENTRY [ARGS...] --chain DIR --as KEY`: call an entry of a deployed contract.

Each argument is a Tabellion literal (`20 EUR`, `2026-12-01`, `3h`, `alice`), in
the entry's parameter order, or `name=value`; a Text argument may be given
without quotes. The call is a signed transaction in a block of its own. Prints
the receipt (events, payments, returned value); exit status 1 if the transaction
is rejected or fails.
"""

from __future__ import annotations

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..chain.cli_support import add_key_arguments

    parser.add_argument("address", metavar="ADDRESS", help="the contract's address")
    parser.add_argument("entry", metavar="ENTRY", help="the entry to call")
    parser.add_argument("values", metavar="ARGS", nargs="*", help="the arguments, as Tabellion literals")
    add_key_arguments(parser)
    parser.add_argument("--paying", metavar="AMOUNT", help="money sent with the call")


def run(args) -> int:
    from tabellion.lang.types import MoneyT, TextT

    from ..chain.arguments import parse_literal
    from ..chain.cli_support import Names, load_signer, print_receipt, submit
    from ..chain.errors import ChainError
    from ..chain.node import Chain
    from ..chain.transactions import Call, sign_transaction
    from ..keys import is_address
    from ..values import Party

    if not is_address(args.address):
        raise ChainError(f"{args.address!r} is not an address (tb1 and 40 hex digits)")
    with Chain.open(args.chain) as chain:
        instance = chain.state.instances.get(Party(args.address))
        if instance is None:
            raise ChainError(f"no contract at {args.address} on this chain")
        entry = instance.contract.info.entries.get(args.entry)
        if entry is None:
            raise ChainError(f"{instance.name} has no entry '{args.entry}' "
                             f"(entries: {', '.join(instance.contract.info.entries) or 'none'})")
        names = Names(chain.config.dev)
        signer = load_signer(args.as_key, chain.config.dev, args.passphrase_file)
        names.remember(args.as_key, signer.public_key)
        params = dict(entry.params)
        order = [name for name, _ in entry.params]
        values: dict = {}
        position = 0
        for text in args.values:
            name, sep, literal = text.partition("=")
            if sep and name.strip() in params and name.strip() not in values:
                name = name.strip()
            else:
                while position < len(order) and order[position] in values:
                    position += 1
                if position >= len(order):
                    raise ChainError(f"{entry.name} takes {len(order)} argument(s): {', '.join(order) or 'none'}")
                name, literal = order[position], text
            kind = params[name]
            if isinstance(kind, TextT) and not literal.strip().startswith('"'):
                values[name] = literal
            else:
                values[name] = parse_literal(literal, kind, names.party, f"argument '{name}'")
        missing = [name for name in order if name not in values]
        if missing:
            raise ChainError(f"{entry.name} is missing argument(s): {', '.join(missing)}")
        paying = parse_literal(args.paying, MoneyT(), names.party, "--paying") if args.paying else None
        payload = Call(Party(args.address), entry.name, tuple(values[name] for name in order), paying)
        tx = sign_transaction(signer, chain.config.chain_id, chain.nonce(signer.address), args.gas, payload)
        receipt = submit(chain, tx)
        print_receipt(receipt, names)
        return 0 if receipt.ok else 1
