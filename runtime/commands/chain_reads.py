"""`tabellion chain status|blocks|show|events`: reading a chain through the node's read
interface, signed with `--as` or anonymous. Part of `tabellion chain`."""

from __future__ import annotations


from .chain_init import time_text, work_summary

__all__ = ["reading", "status", "blocks", "show", "events"]


def reading(args):
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


def status(args) -> int:
    from ..access import Action, Block, Membership
    from ..chain.cli_support import read_request

    chain, reads, reader, names = reading(args)
    with chain:
        head = reads.head(read_request(chain, reader, Action.READ_BLOCKS, Block(None)))
        membership = reads.membership(read_request(chain, reader, Action.READ_MEMBERSHIP, Membership()))
        config, state = chain.config, chain.state
        counts = chain.storage.counts()
        mode = "development mode" if config.dev else "production mode"
        policy = config.policy
        print(f"chain        {config.chain_id} ({mode}; {policy.name}: read {policy.read}, write {policy.write})")
        print(f"directory    {args.directory}")
        print(f"head         block {head.height}, {time_text(head.timestamp)}")
        print(f"head hash    {head.hash.hex()}")
        print(f"state root   {head.state_root.hex()}")
        print(f"genesis      {(chain.storage.meta('genesis') or b'').hex()}")
        print(f"currency     {config.currency}; block gas limit {config.block_gas_limit:_}")
        if config.pow is not None:
            from ..consensus.work import expected_hashes
            from ..numeric import Money

            print(f"consensus    {work_summary(config.pow)}")
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


def blocks(args) -> int:
    from ..access import Action, Block
    from ..chain.cli_support import read_request
    from ..keys import address_of

    chain, reads, reader, _ = reading(args)
    with chain:
        stop = None if args.limit is None else args.start + max(args.limit, 0)
        found = reads.blocks(read_request(chain, reader, Action.READ_BLOCKS, Block(None)), args.start, stop)
        print(f"{'height':>7}  {'hash':<16}  {'time':<17}  {'txs':>5}  {'gas':>13}  proposer")
        for height, block_hash, header in found:
            print(f"{height:>7}  {block_hash.hex()[:16]}  {time_text(header.timestamp):<17}  {header.tx_count:>5}  "
                  f"{header.gas_used:>13_}  {address_of(header.proposer)}")
    return 0


def events(args) -> int:
    from ..access import Action, Events
    from ..chain.cli_support import read_request
    from ..values import format_value

    chain, reads, reader, names = reading(args)
    with chain:
        contract = names.party(args.contract).name if args.contract else None
        found = reads.events(read_request(chain, reader, Action.READ_EVENTS, Events(contract)), contract)
        for height, tx_hash, address, name, values in found:
            fields = ", ".join(f"{key}: {format_value(value)}" for key, value in values)
            print(f"block {height}  {tx_hash.hex()[:16]}  {address}  {name}({fields})")
        if not found:
            print("no events")
    return 0


def show(args) -> int:
    from ..access import Action, Block, Transaction
    from ..chain.cli_support import read_request
    from ..chain.errors import ChainError

    chain, reads, reader, _ = reading(args)
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
                         ("time", time_text(header.timestamp)), ("chain", header.chain_id),
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
            print(f"    consensus     {work_summary(pow_from_plain(genesis.pow))}")
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


