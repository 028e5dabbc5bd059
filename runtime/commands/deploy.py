"""`tabellion deploy FILE CONTRACT --chain DIR --as KEY`: deploy a contract on a chain.

The file is checked locally first (its diagnostics print as `tabellion check`
prints them); its source, with the stdlib modules it imports, goes into a signed
deploy transaction, which becomes a block. `--arg name=value` fills a param,
role or party with a Tabellion literal (`--arg premium="20 EUR"`,
`--arg insurer=axa`, `--arg oracle=[meteo, tb1...]`); a role or party left out is
filled with the key of the same name. Prints the receipt and the new contract's
address; exit status 1 if the transaction is rejected or fails.
"""

from __future__ import annotations

import os
import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    from ..chain.cli_support import add_key_arguments

    parser.add_argument("file", metavar="FILE", help="the .sc file")
    parser.add_argument("contract", metavar="CONTRACT", help="the contract to deploy")
    add_key_arguments(parser)
    parser.add_argument("--arg", metavar="NAME=VALUE", action="append", default=[],
                        help="a param, role or party, as a Tabellion literal (repeatable)")
    parser.add_argument("--paying", metavar="AMOUNT", help="money sent with the deploy: the opening balance")


def run(args) -> int:
    from tabellion.lang.types import MoneyT

    from ..chain.arguments import deploy_types, parse_literal
    from ..chain.cli_support import Names, load_signer, print_receipt, submit
    from ..chain.errors import ChainError
    from ..chain.node import Chain
    from ..chain.transactions import Deploy, sign_transaction
    from ..chain.world import module_imports
    from .run import load_checked

    checked = load_checked(args.file)
    if checked is None:
        return 1
    contracts = checked.all_contracts()
    info = contracts.get(args.contract)
    if info is None:
        known = ", ".join(sorted(contracts)) or "none"
        raise ChainError(f"{args.file} has no contract '{args.contract}' (contracts: {known})")
    with Chain.open(args.chain) as chain:
        names = Names(chain.config.dev)
        signer = load_signer(args.as_key, chain.config.dev, args.passphrase_file)
        names.remember(args.as_key, signer.public_key)
        types = deploy_types(info)
        values = {}
        for text in args.arg:
            name, sep, literal = text.partition("=")
            name = name.strip()
            if not sep:
                raise ChainError(f"--arg takes NAME=VALUE, not {text!r}")
            if name not in types:
                raise ChainError(f"{info.name} has no param, role or party named '{name}' "
                                 f"(it has: {', '.join(types) or 'none'})")
            values[name] = parse_literal(literal, types[name], names.party, f"--arg {name}")
        for name in (*info.roles, *info.parties):
            if name not in values:
                party = names.party(name)
                values[name] = [party] if name in info.roles else party
                print(f"{'role' if name in info.roles else 'party'} {name}: {names.show(party)}", file=sys.stderr)
        paying = parse_literal(args.paying, MoneyT(), names.party, "--paying") if args.paying else None
        payload = Deploy(os.path.basename(args.file), checked.source, module_imports(checked), info.name, values,
                         paying)
        nonce = chain.nonce(signer.address)
        tx = sign_transaction(signer, chain.config.chain_id, nonce, args.gas, payload)
        receipt = submit(chain, tx)
        print_receipt(receipt, names)
        return 0 if receipt.ok else 1
