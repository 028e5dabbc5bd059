"""`tabellion chain ...`: create, inspect, govern and verify a chain.

    chain init DIR [--dev] [--chain-id ID] [--preset NAME | --read open|members --write open|members]
                   [--admin KEY]... [--validator KEY]... [--quorum N]
                   [--member KEY[:ROLE,...]]... [--allocate PARTY=AMOUNT]... [--currency CODE]
                   [--consensus work [--target-interval S] [--retarget N] [--reward X] [--halving N]
                    [--cap X] [--difficulty-bits B] [--miner KEY|ADDRESS]]
    chain status DIR [--as KEY]
    chain blocks DIR [--from N] [--limit N] [--as KEY]
    chain show DIR BLOCK|TX [--as KEY]   a height, or a block or transaction hash (or its first hex digits)
    chain events DIR [--contract ADDRESS] [--as KEY]
    chain members list DIR [--as KEY]
    chain members propose DIR add|remove|set-roles MEMBER [ROLE,...] --as KEY
    chain members approve DIR PROPOSAL --as KEY
    chain verify DIR                 replay from genesis; exit 1 naming the first block that does not match
    chain fund DIR PARTY AMOUNT      create money for a party (development chains only)
    chain transfer DIR TO AMOUNT --as KEY
    chain simulate-pow [--blocks N] [--hashrate HEIGHT:RATE,...] ...

Reads go through the node's read interface (`chain/reads.py`), signed with `--as`
or anonymous. See docs/chain.md and docs/permissions.md for the formats and rules.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["add_arguments", "run"]


def argparse_suppress():
    return argparse.SUPPRESS  # --members-only: the former spelling of --write members


def add_arguments(parser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    actions.required = True
    init = actions.add_parser("init", help="create a chain", description="create a chain in DIR (its genesis block)")
    init.add_argument("directory", metavar="DIR")
    init.add_argument("--dev", action="store_true",
                      help="development mode: development keys accepted, `fund` transactions allowed")
    init.add_argument("--chain-id", metavar="ID", help="the chain's id (default: 'dev', or a random one)")
    init.add_argument("--preset", choices=("private", "governmental", "surveillance", "public"),
                      help="the read and write policy: private (members/members), governmental (open/members), "
                           "surveillance (members/open), public (open/open; the default)")
    init.add_argument("--read", choices=("open", "members"), help="who reads (instead of --preset)")
    init.add_argument("--write", choices=("open", "members"), help="who writes (instead of --preset)")
    init.add_argument("--validator", metavar="KEY", action="append", default=[],
                      help="a validator: a keystore key that signs blocks in turn (repeatable; required unless "
                           "--dev). This node signs with these keys; without --admin, the first is also admin")
    init.add_argument("--admin", metavar="KEY", action="append", default=[],
                      help="an admin: a key that proposes and approves membership changes (repeatable)")
    init.add_argument("--members-only", action="store_true", help=argparse_suppress())
    init.add_argument("--member", metavar="KEY[:ROLES]", action="append", default=[],
                      help="a member: a key name or an address, with roles (admin, validator, writer, reader, "
                           "auditor; default writer), comma-separated, e.g. --member clerk:writer,reader")
    init.add_argument("--quorum", type=int, default=1, metavar="N",
                      help="admin approvals a membership change needs (default 1)")
    init.add_argument("--allocate", metavar="PARTY=AMOUNT", action="append", default=[],
                      help="an opening balance, e.g. alice=1_000 EUR (repeatable)")
    init.add_argument("--currency", default="EUR", metavar="CODE", help="the native currency (default EUR)")
    work = init.add_argument_group("proof of work (--consensus work; a public chain)")
    work.add_argument("--consensus", choices=("authority", "work"), default="authority",
                      help="how blocks are made: signed in turn by validators (authority, the default) or mined "
                           "(work; needs an open write policy)")
    work.add_argument("--target-interval", type=int, default=60, metavar="S",
                      help="seconds a block should take (default 60)")
    work.add_argument("--retarget", type=int, default=100, metavar="N",
                      help="blocks between difficulty retargets (default 100)")
    work.add_argument("--reward", default="50", metavar="X",
                      help="the first blocks' coinbase, in the native currency (default 50)")
    work.add_argument("--halving", type=int, default=2_000, metavar="N",
                      help="blocks between halvings of the reward (default 2_000)")
    work.add_argument("--cap", default="180_000", metavar="X",
                      help="the most all coinbases issue together (default 180_000)")
    work.add_argument("--difficulty-bits", type=int, default=4, metavar="B",
                      help="the genesis difficulty: 2**B hashes a block on average (default 4: milliseconds)")
    work.add_argument("--miner", metavar="KEY|ADDRESS",
                      help="who this node's coinbases pay (default: the --as key of each command that makes a block)")
    from ..chain.cli_support import add_reader_arguments

    for name, summary in (("status", "summarize a chain"), ("verify", "replay a chain from genesis and check it")):
        sub = actions.add_parser(name, help=summary, description=summary)
        sub.add_argument("directory", metavar="DIR")
        if name == "status":
            add_reader_arguments(sub)
    blocks = actions.add_parser("blocks", help="list blocks", description="list the blocks of a chain")
    blocks.add_argument("directory", metavar="DIR")
    blocks.add_argument("--from", dest="start", type=int, default=0, metavar="N", help="start at height N")
    blocks.add_argument("--limit", type=int, metavar="N", help="list at most N blocks")
    add_reader_arguments(blocks)
    show = actions.add_parser("show", help="show a block or transaction",
                              description="show a block (by height or hash) or a transaction (by hash)")
    show.add_argument("directory", metavar="DIR")
    show.add_argument("what", metavar="BLOCK|TX")
    add_reader_arguments(show)
    events = actions.add_parser("events", help="list events", description="list the events contracts emitted")
    events.add_argument("directory", metavar="DIR")
    events.add_argument("--contract", metavar="ADDRESS", help="only this contract's events")
    add_reader_arguments(events)
    from .chain_members import add_arguments as add_member_arguments

    add_member_arguments(actions.add_parser("members", help="list and govern the membership",
                                            description="list the members, or propose and approve changes"))
    from ..consensus import simulation

    simulation.add_arguments(actions.add_parser(
        "simulate-pow", help="simulate proof-of-work difficulty and issuance",
        description="play the proof-of-work rules (retargeting, issuance) over a hash-rate schedule"))
    fund = actions.add_parser("fund", help="fund a party (dev chains)",
                              description="create money for PARTY with a fund transaction (dev chains only)")
    fund.add_argument("directory", metavar="DIR")
    fund.add_argument("party", metavar="PARTY")
    fund.add_argument("amount", metavar="AMOUNT")
    fund.add_argument("--as", dest="as_key", metavar="KEY", default="faucet",
                      help="the signing key (default: the development key 'faucet')")
    transfer = actions.add_parser("transfer", help="move money between accounts",
                                  description="transfer AMOUNT from the --as account to TO")
    transfer.add_argument("directory", metavar="DIR")
    transfer.add_argument("to", metavar="TO")
    transfer.add_argument("amount", metavar="AMOUNT")
    transfer.add_argument("--as", dest="as_key", metavar="KEY", required=True, help="the paying key")
    for sub in (fund, transfer):
        sub.add_argument("--passphrase-file", metavar="FILE", help="read the key's passphrase from FILE")


def run(args) -> int:
    from ..consensus.simulation import run as simulate_pow
    from .chain_init import init
    from .chain_members import run as members
    from .chain_reads import blocks, events, show, status

    actions = {"init": init, "status": status, "blocks": blocks, "show": show, "verify": _verify,
               "fund": _money, "transfer": _money, "events": events, "members": members,
               "simulate-pow": simulate_pow}
    return actions[args.action](args)


# -- fund and transfer


def _money(args) -> int:
    from tabellion.lang.types import MoneyT

    from .. import gas
    from ..chain.arguments import parse_literal
    from ..chain.cli_support import Names, load_signer, print_receipt, submit
    from ..chain.errors import ChainError
    from ..chain.node import Chain
    from ..chain.transactions import Fund, Transfer, sign_transaction

    with Chain.open(args.directory) as chain:
        if args.action == "fund" and not chain.config.dev:
            raise ChainError("fund transactions are accepted only on development chains")
        names = Names(chain.config.dev)
        signer = load_signer(args.as_key, chain.config.dev, args.passphrase_file)
        names.remember(args.as_key, signer.public_key)
        target = args.party if args.action == "fund" else args.to
        party = names.party(target)
        amount = parse_literal(args.amount, MoneyT(), names.party, "the amount")
        payload = (Fund if args.action == "fund" else Transfer)(party, amount)
        tx = sign_transaction(signer, chain.config.chain_id, chain.nonce(signer.address), gas.TRANSACTION, payload)
        receipt = submit(chain, tx)
        print_receipt(receipt, names)
        if receipt.ok and args.action == "fund":
            print(f"  {names.show(party)} now holds {chain.state.balance(party, amount.currency)}")
        return 0 if receipt.ok else 1


def _verify(args) -> int:
    import time

    from ..chain.errors import VerificationFailed
    from ..chain.verify import verify_chain

    interactive = sys.stderr.isatty()
    state = {"last": time.monotonic()}

    def progress(height, head):
        now = time.monotonic()
        if head >= 100 and (now - state["last"] >= 1.0 or height == head):
            state["last"] = now
            line = f"verifying: block {height:_} of {head:_} ({100 * height // max(head, 1)}%)"
            print(("\r" + line) if interactive else line, end="" if interactive and height != head else "\n",
                  file=sys.stderr, flush=True)

    try:
        report = verify_chain(args.directory, progress)
    except VerificationFailed as error:
        if interactive:
            print(file=sys.stderr)
        print(f"error: {args.directory}: block {error.height} does not match: {error.reason}", file=sys.stderr)
        return 1
    print(f"verified {args.directory}: {report.head + 1} blocks, {report.transactions} transactions, "
          f"{report.state_rows} state rows")
    print(f"head state root {report.state_root.hex()}")
    return 0
