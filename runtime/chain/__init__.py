"""The signed ledger: transactions, blocks, the state commitment, storage and replay.

A chain lives in one directory holding one SQLite file. Its pieces, each in its own
module (see docs/chain.md for the formats and the decisions):

    codec         canonical encodings of Tabellion values (Money, Party, records...)
    transactions  signed transactions: kinds, canonical bytes, signatures, hashes
    fast_decode   a strict fast reader for transfers, calls and funds
    blocks        block headers, consensus proofs, receipts' bytes, the genesis document
    world         the chain's world state: membership, code, config on top of WorldState
    rows          the state as rows (paths and values), which the state root commits to
    commitment    which rows a block touched, derived from the journal
    rebuild       the state rebuilt from its stored rows
    executor      checking transactions (rejections) and running them into receipts
    storage       the SQLite file: one transaction per block
    node          a chain opened for reading and writing blocks
    mining        proof of work on the ledger: mining headers, the coinbase, checking mined headers
    verify        replay from genesis, naming the first block that does not match
    reads         the node's read interface: signed read requests, access checks, answers
    arguments     Tabellion literals typed on the command line, and argument checks
    devkeys       recognising development keys on chains not in dev mode
    cli_support   what the chain commands share: names, keys, printing receipts

Importing this package imports none of them; import the module you need.
"""

__all__ = [
    "arguments",
    "blocks",
    "cli_support",
    "codec",
    "commitment",
    "devkeys",
    "errors",
    "executor",
    "fast_decode",
    "mining",
    "node",
    "reads",
    "rebuild",
    "rows",
    "storage",
    "transactions",
    "verify",
    "world",
]
