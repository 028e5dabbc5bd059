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
    from .chain_members import run as members

    actions = {"init": _init, "status": _status, "blocks": _blocks, "show": _show, "verify": _verify,
               "fund": _money, "transfer": _money, "events": _events, "members": members,
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


# -- init


def _init(args) -> int:
    import secrets

    from tabellion.lang.types import MoneyT

    from ..chain.arguments import parse_literal
    from ..chain.cli_support import DEV_VALIDATOR, Names, load_signer
    from ..chain.devkeys import DEV_NAMES, dev_name_of
    from ..chain.errors import ChainError
    from ..chain.node import Chain
    from ..chain.transactions import CHAIN_ID, MEMBER_ROLES
    from ..keys import dev_keypair
    from ..numeric import MINOR_DIGITS  # noqa: F401 - the currency table lives there

    chain_id = args.chain_id or ("dev" if args.dev else f"chain-{secrets.token_hex(4)}")
    if not CHAIN_ID.match(chain_id):
        raise ChainError(f"invalid chain id {chain_id!r}: up to 64 letters, digits, '.', '_' or '-'")
    if len(args.currency) != 3 or not args.currency.isalpha() or not args.currency.isupper():
        raise ChainError(f"invalid currency {args.currency!r}: three capital letters")
    policy = _policy(args)
    validator_names = args.validator or ([DEV_VALIDATOR] if args.dev else [])
    if not validator_names:
        raise ChainError("a chain that is not in dev mode needs --validator KEY (a key of the keystore; "
                         "create one with `tabellion keys new NAME`)")
    validators = [load_signer(name, args.dev) for name in validator_names]
    if not args.dev and any(dev_name_of(v.public_key) for v in validators):
        raise ChainError("a development key cannot validate a chain that is not in dev mode")
    validator = validators[0]
    names = Names(args.dev)
    members = [_member(text, names) for text in args.member]
    members += [(v.address, ("validator",)) for v in validators[1:]]
    members += [(names.party(name).name, ("admin",)) for name in args.admin]
    admins = {address for address, roles in members if "admin" in roles}
    validator_roles = ("admin", "validator") if not admins else ("validator",)
    if not args.dev:
        dev_addresses = {dev_keypair(name).address for name in DEV_NAMES}
        if any(address in dev_addresses for address, _ in members):
            raise ChainError("a chain that is not in dev mode refuses development keys as members")
    allocations = []
    for text in args.allocate:
        party, sep, amount = text.partition("=")
        if not sep:
            raise ChainError(f"--allocate takes PARTY=AMOUNT, not {text!r}")
        money = parse_literal(amount, MoneyT(args.currency), lambda n: names.party(n), f"--allocate {party}")
        if money.units <= 0:
            raise ChainError(f"--allocate {party}: the amount must be positive")
        allocations.append((names.party(party.strip()), money))
    bad = {role for _, roles in members for role in roles} - set(MEMBER_ROLES)
    if bad:
        raise ChainError(f"unknown role(s) {', '.join(sorted(bad))}: roles are {', '.join(MEMBER_ROLES)}")
    pow_params = _pow_params(args, policy, names)
    chain = Chain.init(args.directory, validator, dev=args.dev, chain_id=chain_id, policy=policy,
                       members=members, quorum=args.quorum, currency=args.currency, allocations=allocations,
                       validator_name=",".join(args.validator), validator_roles=validator_roles, pow=pow_params)
    with chain:
        if args.miner:
            chain.storage.set_meta("miner", names.party(args.miner).name.encode())
        mode = f"{policy.name}: read {policy.read}, write {policy.write}" + ("; development mode" if args.dev else "")
        print(f"created chain '{chain_id}' in {args.directory} ({mode})")
        print(f"genesis     {chain.head.hash.hex()}")
        for name, keypair in zip(validator_names, validators):
            print(f"validator   {keypair.address} ({name if args.validator else 'dev key validator'})")
        print(f"time        {_time(chain.head.timestamp)}")
        members = chain.state.membership["members"]
        if len(members) > 1:
            print(f"members     {len(members)} (quorum {args.quorum})")
        if pow_params is not None:
            print(f"consensus   {_work_summary(pow_params)}")
    return 0


def _pow_params(args, policy, names):
    """The PowParams `chain init --consensus work` asks for (None for proof of authority)."""
    from tabellion.lang.types import MoneyT

    from ..access import OPEN
    from ..chain.arguments import parse_literal
    from ..chain.errors import ChainError
    from ..consensus.issuance import IssuanceSchedule
    from ..consensus.work import HASH_SPACE, PowParams

    if args.consensus != "work":
        given = [flag for flag, value, default in (
            ("--target-interval", args.target_interval, 60), ("--retarget", args.retarget, 100),
            ("--reward", args.reward, "50"), ("--halving", args.halving, 2_000), ("--cap", args.cap, "180_000"),
            ("--difficulty-bits", args.difficulty_bits, 4), ("--miner", args.miner, None)) if value != default]
        if given:
            raise ChainError(f"only with --consensus work: {', '.join(given)}")
        return None
    if policy.write != OPEN:
        raise ChainError("a proof-of-work chain is public: its write policy must be open (--preset public)")

    def amount(flag, text):
        text = text.strip()
        if not any(c.isalpha() for c in text):
            text = f"{text} {args.currency}"
        money = parse_literal(text, MoneyT(args.currency), names.party, flag)
        if money.units <= 0:
            raise ChainError(f"{flag}: the amount must be positive")
        return money.units

    if not 0 <= args.difficulty_bits <= 255:
        raise ChainError("--difficulty-bits takes 0 to 255")
    try:
        schedule = IssuanceSchedule(amount("--reward", args.reward), args.halving, amount("--cap", args.cap),
                                    args.currency)
        return PowParams(initial_target=HASH_SPACE >> args.difficulty_bits, issuance=schedule,
                         target_interval=args.target_interval, retarget_interval=args.retarget)
    except ValueError as error:
        raise ChainError(f"invalid proof-of-work rules: {error}") from None


def _work_summary(params) -> str:
    from ..consensus.work import expected_hashes
    from ..numeric import Money

    issuance = params.issuance
    return (f"proof of work: {params.target_interval} s blocks, retarget every {params.retarget_interval}, "
            f"difficulty {expected_hashes(params.initial_target):_} at genesis; "
            f"reward {Money(issuance.initial_reward, issuance.currency)} halving every {issuance.halving_interval:_} "
            f"blocks, capped at {Money(issuance.cap, issuance.currency)}")


def _policy(args):
    from ..access import MEMBERS, OPEN, Policy
    from ..chain.errors import ChainError

    if args.preset and (args.read or args.write or args.members_only):
        raise ChainError("give either --preset or --read/--write, not both")
    if args.preset:
        return Policy.preset(args.preset)
    write = args.write or (MEMBERS if args.members_only else OPEN)
    return Policy(args.read or OPEN, write)


def _member(text: str, names):
    from ..chain.errors import ChainError

    name, _, roles = text.partition(":")
    roles = tuple(sorted({r.strip() for r in roles.split(",") if r.strip()} or {"writer"}))
    try:
        return names.party(name.strip()).name, roles
    except ChainError:
        raise ChainError(f"--member {text}: '{name}' is neither a key of the keystore nor an address") from None


# -- reading


def _time(seconds: int) -> str:
    from ..temporal import Time

    return str(Time(seconds))


def _reading(args):
    """(chain, Reads, reader key or None, Names) for a reading command; the caller closes the chain."""
    from ..chain.cli_support import Names, load_reader
    from ..chain.node import Chain
    from ..chain.reads import Reads

    chain = Chain.open(args.directory, readonly=True)
    try:
        names = Names(chain.config.dev)
        reader = load_reader(chain, args)
        if reader is not None:
            names.remember(args.as_key, reader.public_key)
    except BaseException:
        chain.close()
        raise
    return chain, Reads(chain), reader, names


def _status(args) -> int:
    from ..access import Action, Block, Membership
    from ..chain.cli_support import read_request

    chain, reads, reader, names = _reading(args)
    with chain:
        head = reads.head(read_request(chain, reader, Action.READ_BLOCKS, Block(None)))
        membership = reads.membership(read_request(chain, reader, Action.READ_MEMBERSHIP, Membership()))
        config, state = chain.config, chain.state
        counts = chain.storage.counts()
        mode = "development mode" if config.dev else "production mode"
        policy = config.policy
        print(f"chain        {config.chain_id} ({mode}; {policy.name}: read {policy.read}, write {policy.write})")
        print(f"directory    {args.directory}")
        print(f"head         block {head.height}, {_time(head.timestamp)}")
        print(f"head hash    {head.hash.hex()}")
        print(f"state root   {head.state_root.hex()}")
        print(f"genesis      {(chain.storage.meta('genesis') or b'').hex()}")
        print(f"currency     {config.currency}; block gas limit {config.block_gas_limit:_}")
        if config.pow is not None:
            from ..consensus.work import expected_hashes
            from ..numeric import Money

            print(f"consensus    {_work_summary(config.pow)}")
            if head.work is not None:
                print(f"difficulty   {expected_hashes(head.work[0]):_} hashes a block at the head; "
                      f"{Money(state.issued.get(config.currency, 0), config.currency)} issued in all")
        for address in state.validators():
            print(f"validator    {names.show(address)}")
        print(f"members      {len(membership['members'])} (membership changes need {membership['quorum']} "
              f"admin approval{'s' * (membership['quorum'] != 1)})")
        print(f"accounts     {len({owner for owner, _ in state.balances} | set(state.nonces))}")
        print(f"contracts    {len(state.instances)}")
        print(f"transactions {counts['txs'] - 1} in {counts['blocks'] - 1} blocks after genesis")
    return 0


def _blocks(args) -> int:
    from ..access import Action, Block
    from ..chain.cli_support import read_request
    from ..keys import address_of

    chain, reads, reader, _ = _reading(args)
    with chain:
        stop = None if args.limit is None else args.start + max(args.limit, 0)
        found = reads.blocks(read_request(chain, reader, Action.READ_BLOCKS, Block(None)), args.start, stop)
        print(f"{'height':>7}  {'hash':<16}  {'time':<17}  {'txs':>5}  {'gas':>13}  proposer")
        for height, block_hash, header in found:
            print(f"{height:>7}  {block_hash.hex()[:16]}  {_time(header.timestamp):<17}  {header.tx_count:>5}  "
                  f"{header.gas_used:>13_}  {address_of(header.proposer)}")
    return 0


def _events(args) -> int:
    from ..access import Action, Events
    from ..chain.cli_support import read_request
    from ..values import format_value

    chain, reads, reader, names = _reading(args)
    with chain:
        contract = names.party(args.contract).name if args.contract else None
        found = reads.events(read_request(chain, reader, Action.READ_EVENTS, Events(contract)), contract)
        for height, tx_hash, address, name, values in found:
            fields = ", ".join(f"{key}: {format_value(value)}" for key, value in values)
            print(f"block {height}  {tx_hash.hex()[:16]}  {address}  {name}({fields})")
        if not found:
            print("no events")
    return 0


def _show(args) -> int:
    from ..access import Action, Block, Transaction
    from ..chain.cli_support import read_request
    from ..chain.errors import ChainError

    chain, reads, reader, _ = _reading(args)
    with chain:
        storage = chain.storage
        what = args.what.strip().lower()
        if what.isdigit():
            if reads.block(read_request(chain, reader, Action.READ_BLOCKS, Block(int(what))), int(what)) is None:
                raise ChainError(f"no block at height {what} (the head is {storage.head()})")
            _show_block(storage, int(what))
            return 0
        # A hash may name a block or a transaction: the request asks for transactions, and
        # a block found by its hash is decided again, for the same requester, as a block read.
        requester = reads.check(read_request(chain, reader, Action.READ_TRANSACTIONS, Transaction()),
                                Action.READ_TRANSACTIONS, Transaction())
        if len(what) < 6 or any(c not in "0123456789abcdef" for c in what):
            raise ChainError(f"{args.what!r} is neither a height nor a hash (give at least 6 hex digits)")
        prefix = bytes.fromhex(what[: len(what) // 2 * 2])
        found = [("block", h, height) for h, height in storage.find("blocks", prefix)] + \
                [("transaction", h, height) for h, height in storage.find("txs", prefix)]
        found = [f for f in found if f[1].hex().startswith(what)]
        if not found:
            raise ChainError(f"no block or transaction has a hash starting with {what}")
        if len(found) > 1:
            raise ChainError(f"{what} is ambiguous: give more digits")
        kind, found_hash, height = found[0]
        if kind == "block":
            reads.decide(requester, Action.READ_BLOCKS, Block(height))
            _show_block(storage, height)
        else:
            _show_transaction(storage, found_hash)
    return 0


def _show_block(storage, height: int) -> None:
    from ..chain.blocks import decode_header
    from ..keys import address_of

    block_hash, header_bytes, proof = storage.block(height)
    header = decode_header(header_bytes)
    print(f"block {height}")
    for label, value in (("hash", block_hash.hex()), ("previous", header.previous.hex()),
                         ("time", _time(header.timestamp)), ("chain", header.chain_id),
                         ("proposer", address_of(header.proposer)), ("transactions", header.tx_count),
                         ("tx root", header.tx_root.hex()), ("receipt root", header.receipt_root.hex()),
                         ("state root", header.state_root.hex()), ("gas used", f"{header.gas_used:_}"),
                         ("proof", proof.hex())):
        print(f"  {label:<13} {value}")
    if header.work is not None:
        target, recipient, amount, nonce = header.work
        print(f"  {'target':<13} {target:#066x} (difficulty {max(1, 2**256 // target):_})")
        print(f"  {'coinbase':<13} {amount} minor units to {recipient}")
        print(f"  {'nonce':<13} {nonce}")
    rows = storage.transactions(height)
    if height == 0:
        if len(rows) != 1:
            print("  (the genesis document is missing: run `tabellion chain verify`)")
            return
        _show_genesis(rows[0][1])
        return
    for position, (tx_hash, body, receipt) in enumerate(rows):
        summary, status = _summary(body, receipt)
        print(f"  {position:>4} {tx_hash.hex()[:16]}  {summary}  [{status}]")


def _show_genesis(document: bytes) -> None:
    from ..chain.blocks import decode_genesis

    genesis = decode_genesis(document)
    print("  genesis document:")
    print(f"    chain id      {genesis.chain_id} ({'dev' if genesis.dev else 'production'}; "
          f"{genesis.policy.name}: read {genesis.policy.read}, write {genesis.policy.write})")
    print(f"    currency      {genesis.currency}; block gas limit {genesis.block_gas_limit:_}")
    print(f"    quorum        {genesis.quorum}")
    for address, roles in genesis.members:
        print(f"    member        {address} ({', '.join(roles)})")
    for party, amount in genesis.allocations:
        print(f"    allocation    {party} {amount}")
    if genesis.pow is not None:
        from ..chain.world import pow_from_plain

        try:
            print(f"    consensus     {_work_summary(pow_from_plain(genesis.pow))}")
        except ValueError as error:
            print(f"    consensus     proof of work, with invalid rules ({error})")


def _summary(body: bytes, receipt: bytes | None) -> tuple:
    from ..chain.blocks import decode_receipt
    from ..chain.errors import MalformedTransaction
    from ..chain.transactions import decode_transaction
    from ..values import format_value

    try:
        tx = decode_transaction(body)
    except MalformedTransaction as error:
        return f"(unreadable: {error})", "?"
    payload = tx.payload
    if tx.kind == "call":
        text = f"call {payload.contract}.{payload.entry}({', '.join(map(format_value, payload.args))})"
    elif tx.kind == "deploy":
        text = f"deploy {payload.contract} from {payload.file}"
    elif tx.kind in ("transfer", "fund"):
        text = f"{tx.kind} {payload.amount} to {payload.to}"
    else:
        text = f"membership {format_value(_runtime(payload.operation))}"
    status = "?"
    if receipt is not None:
        try:
            status = decode_receipt(receipt)["status"]
        except Exception:  # noqa: BLE001 - a damaged receipt is shown as such
            status = "unreadable receipt"
    return f"{tx.address} {text}", status


def _show_transaction(storage, tx_hash: bytes) -> None:
    from ..chain.blocks import decode_receipt
    from ..values import format_value

    height, position, body, receipt = storage.transaction(tx_hash)
    if height == 0:
        print(f"transaction {tx_hash.hex()}: the genesis document of block 0")
        _show_genesis(body)
        return
    from ..chain.transactions import decode_transaction

    tx = decode_transaction(body)
    summary, _ = _summary(body, receipt)
    print(f"transaction {tx_hash.hex()}")
    for label, value in (("block", f"{height}, position {position}"), ("chain", tx.chain_id), ("kind", tx.kind),
                         ("sender", tx.address), ("nonce", tx.nonce), ("gas limit", f"{tx.gas_limit:_}"),
                         ("payload", summary.split(" ", 1)[1]), ("signature", tx.signature.hex())):
        print(f"  {label:<10} {value}")
    if tx.kind == "deploy":
        args = ", ".join(f"{k}: {format_value(v)}" for k, v in sorted(tx.payload.args.items()))
        print(f"  args       {args or '(none)'}")
        if tx.payload.paying is not None:
            print(f"  paying     {tx.payload.paying}")
    elif tx.kind == "call" and tx.payload.paying is not None:
        print(f"  paying     {tx.payload.paying}")
    fields = decode_receipt(receipt)
    print(f"  receipt    {fields['status']}, gas {fields['gas_used']:_}")
    if fields["reason"]:
        span = fields["span"]
        where = f" at {span[0]}:{span[1]}:{span[2]}" if span else ""
        print(f"    reason   {fields['reason']}{where}")
    if fields["address"] is not None:
        print(f"    deployed at {fields['address']}")
    for contract, _, name, values in fields["events"]:
        print(f"    event    {name}({', '.join(f'{k}: {format_value(_runtime(v))}' for k, v in values)}) "
              f"from {contract}")
    for source, target, amount, cause in fields["transfers"]:
        print(f"    pay      {amount} {source} -> {target}{f' ({cause})' if cause else ''}")
    if fields["value"] is not None:
        print(f"    returned {format_value(_runtime(fields['value']))}")


def _runtime(value):
    from ..chain.codec import to_runtime

    return to_runtime(value)


# -- verify


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
