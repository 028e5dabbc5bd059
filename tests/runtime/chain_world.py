"""Helpers shared by the chain tests: a contract with every kind of state, signers, workloads.

Imported by tests/runtime/test_chain_*.py and tests/faults (whose conftest puts this
directory on sys.path). Everything here is deterministic: the same calls build the
same chain, byte for byte.
"""

from __future__ import annotations

import random

from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.transactions import (
    Call,
    Deploy,
    Fund,
    Transfer,
    sign_transaction,
)
from tabellion.runtime.keys import dev_keypair
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party

CHAIN_ID = "test"
GAS = 1_000_000

# A contract whose state has every shape the commitment handles: scalar fields,
# a Map field, a List field, records holding lists, maps of lists, nested lists.
BOX = """
contract Box {
    role keeper
    param fee: Money = 1 EUR

    record Item { tags: List[Int], name: Text }
    enum Mood { Calm, Busy }

    state count: Int = 0
    state m: Map[Int, Int]
    state owners: Map[Party, Money]
    state lists: Map[Int, List[Int]]
    state items: Map[Int, Item]
    state seq: List[Int]
    state nested: List[List[Int]]
    state rec: Item = Item([], "r")
    state mood: Mood = Mood.Calm

    event Bumped(by: Party, count: Int)

    entry bump() by anyone {
        count += 1
        emit Bumped(caller, count)
    }
    entry set(k: Int, v: Int) by anyone { m[k] = v }
    entry remove(k: Int) by anyone { m.remove(k) }
    entry reset() by anyone { m = {1: 2} }
    entry own(amount: Money) by anyone pays any { owners[caller] = amount }
    entry push(k: Int, v: Int) by anyone {
        if not (k in lists) { lists[k] = [] }
        lists[k].append(v)
    }
    entry put_item(k: Int, v: Int) by anyone { items[k] = Item([v], "x") }
    entry tag(k: Int, v: Int) by anyone { if k in items { items[k].tags.append(v) } }
    entry rename(k: Int) by anyone { if k in items { items[k].name = "y" } }
    entry seq_append(v: Int) by anyone { seq.append(v) }
    entry seq_insert(i: Int, v: Int) by anyone { if i <= len(seq) { seq.insert(i, v) } }
    entry seq_pop() by anyone { if len(seq) > 0 { let x = seq.pop() } }
    entry seq_set(i: Int, v: Int) by anyone { if i < len(seq) { seq[i] = v } }
    entry seq_reset() by anyone { seq = [7, 8] }
    entry nest(v: Int) by anyone { nested.append([v]) }
    entry nest_in(i: Int, v: Int) by anyone { if i < len(nested) { nested[i].append(v) } }
    entry nest_insert(v: Int) by anyone { nested.insert(0, [v, v]) }
    entry nest_pop() by anyone { if len(nested) > 0 { let x = nested.pop() } }
    entry rec_tag(v: Int) by anyone { rec.tags.append(v) }
    entry busy() by keeper { mood = Mood.Busy }
    entry pay_out(to: Party, amount: Money) by keeper { pay amount to to }
    entry fail(v: Int) by anyone {
        m[v] = v
        seq.append(v)
        require false, "always fails"
    }
    entry echo(x: Int, t: Text, who: Party) by anyone -> Int { return x }
}
"""

# entry -> number of Int arguments, for random calls
BOX_CALLS = {
    "bump": 0, "set": 2, "remove": 1, "reset": 0, "push": 2, "put_item": 2, "tag": 2, "rename": 1,
    "seq_append": 1, "seq_insert": 2, "seq_pop": 0, "seq_set": 2, "seq_reset": 0, "nest": 1, "nest_in": 2,
    "nest_insert": 1, "nest_pop": 0, "rec_tag": 1, "fail": 1,
}


class Signer:
    """A key with its own nonce counter."""

    def __init__(self, name: str, chain_id: str = CHAIN_ID, keypair=None):
        self.keypair = keypair or dev_keypair(name)
        self.chain_id = chain_id
        self.nonce = 0

    @property
    def party(self) -> Party:
        return Party(self.keypair.address)

    def tx(self, payload, gas: int = GAS, nonce: int | None = None, chain_id: str | None = None):
        if nonce is None:
            nonce, self.nonce = self.nonce, self.nonce + 1
        return sign_transaction(self.keypair, chain_id or self.chain_id, nonce, gas, payload)


def new_chain(directory, dev: bool = True, **options):
    """A fresh chain (validator: the dev key 'validator' unless `validator=` is given)."""
    validator = options.pop("validator", None) or dev_keypair("validator")
    options.setdefault("timestamp", 1_767_225_600)  # 2026-01-01T00:00Z
    chain = Chain.init(directory, validator, dev=dev, chain_id=options.pop("chain_id", CHAIN_ID), **options)
    return chain, validator


class Workload:
    """A deterministic sequence of blocks: funds, a Box deploy, then random calls and transfers."""

    def __init__(self, seed: int = 0, parties: int = 4):
        self.rng = random.Random(seed)
        self.faucet = Signer("faucet")
        self.parties = [Signer(f"party{i}") for i in range(parties)]
        self.box = None
        self.block = 0

    def next_block(self, size: int | None = None) -> list:
        """The transactions of the next block (they must all be committed before the next call)."""
        self.block += 1
        if self.block == 1:
            funds = [self.faucet.tx(Fund(p.party, Money(1_000_00, "EUR"))) for p in self.parties]
            keeper = [self.parties[0].party]
            deploy = self.parties[0].tx(Deploy("box.sc", BOX, (), "Box", {"keeper": keeper}))
            from tabellion.runtime.chain.transactions import contract_address

            self.box = Party(contract_address(self.parties[0].keypair.address, deploy.nonce))
            return funds + [deploy]
        rng = self.rng
        count = size if size is not None else rng.randrange(1, 6)
        txs = []
        for _ in range(count):
            sender = rng.choice(self.parties)
            if rng.random() < 0.25:
                to = rng.choice(self.parties).party
                txs.append(sender.tx(Transfer(to, Money(rng.randrange(1, 500), "EUR"))))
            else:
                entry = rng.choice(list(BOX_CALLS))
                args = tuple(rng.randrange(6) for _ in range(BOX_CALLS[entry]))
                txs.append(sender.tx(Call(self.box, entry, args, None)))
        return txs


def commit(chain, validator, transactions, timestamp=None):
    """Propose a block that must include every transaction."""
    result = chain.propose(transactions, validator, timestamp=timestamp)
    assert not result.rejected and not result.deferred, (result.rejected, result.deferred)
    assert result.header is not None
    return result


def build(directory, blocks: int = 8, seed: int = 0, **options):
    """A chain with `blocks` blocks of the workload after genesis; returns (chain, validator, workload)."""
    chain, validator = new_chain(directory, **options)
    workload = Workload(seed)
    for _ in range(blocks):
        commit(chain, validator, workload.next_block())
    return chain, validator, workload
