"""Chain benchmark: signed transactions through the whole path, against the signature ceiling.

Run: python bench/chain.py [--transactions 20000] [--block 500] [--senders 200]

Prints, each measured in this run:
  (a) the single-core Ed25519 verify rate (keys.verify on transaction-sized
      messages): the ceiling, since every transaction's signature must be checked;
  (b) 20,000 signed transactions, half transfers and half calls of a token's
      `transfer` entry, submitted as bytes through the whole path (decode, verify
      the signature, check the nonce, execute, derive the touched rows, update the
      state root, sign the block, persist it in SQLite WAL synchronous=FULL) in
      blocks of 500: transactions/s and the ratio to the ceiling (target >= 0.5);
  (c) the time to update the state root for one block of 500 transfers (journal to
      touched rows to tree update), with 1,000 and with 1,000,000 accounts.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time

from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.transactions import (
    Call,
    Deploy,
    Fund,
    Transfer,
    decode_transaction,
    sign_transaction,
)
from tabellion.runtime.keys import dev_keypair, verify
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party

TOKEN = """
contract Token {
    state balances: Map[Party, Int]
    entry mint(to: Party, amount: Int) by anyone {
        balances[to] = balances.get(to, 0) + amount
    }
    entry transfer(to: Party, amount: Int) by anyone {
        let held = balances.get(caller, 0)
        require held >= amount, "insufficient tokens"
        balances[caller] = held - amount
        balances[to] = balances.get(to, 0) + amount
    }
}
"""
CHAIN_ID = "bench"
GAS = 100_000


def verify_burst(samples) -> float:
    """Seconds to verify every signature of `samples` once, on this core."""
    start = time.perf_counter()
    for public_key, message, signature in samples:
        if not verify(public_key, message, signature):
            raise AssertionError("a benchmark signature does not verify")
    return time.perf_counter() - start


def setup(directory, senders):
    """A dev chain with funded senders and a token every sender holds units of."""
    validator = dev_keypair("validator")
    chain = Chain.init(directory, validator, dev=True, chain_id=CHAIN_ID)
    faucet = dev_keypair("faucet")
    funding = [sign_transaction(faucet, CHAIN_ID, i, GAS, Fund(Party(k.address), Money(10**9, "EUR")))
               for i, k in enumerate(senders)]
    deploy = sign_transaction(faucet, CHAIN_ID, len(senders), 10**7, Deploy("token.sc", TOKEN, (), "Token", {}))
    result = chain.propose(funding + [deploy], validator)
    token = result.included[-1][1].address
    mints = [sign_transaction(faucet, CHAIN_ID, len(senders) + 1 + i, GAS,
                              Call(token, "mint", (Party(k.address), 10**9), None)) for i, k in enumerate(senders)]
    chain.propose(mints, validator)
    return chain, validator, token


def signed_workload(senders, token, count, rng):
    """`count` transactions as bytes, alternating transfers and token calls, nonces in order."""
    nonces = [0] * len(senders)
    wires = []
    for i in range(count):
        index = i % len(senders)
        sender = senders[index]
        to = Party(senders[rng.randrange(len(senders))].address)
        if i % 2:
            payload = Call(token, "transfer", (to, 1), None)
        else:
            payload = Transfer(to, Money(1, "EUR"))
        wires.append(sign_transaction(sender, CHAIN_ID, nonces[index], GAS, payload).wire)
        nonces[index] += 1
    return wires


def bench_path(count, block, sender_count):
    rng = random.Random(2026)
    senders = [dev_keypair(f"sender{i}") for i in range(sender_count)]
    with tempfile.TemporaryDirectory() as directory:
        chain, validator, token = setup(os.path.join(directory, "chain"), senders)
        wires = signed_workload(senders, token, count, rng)
        samples = []
        for wire in wires[:block]:
            tx = decode_transaction(wire)
            samples.append((tx.sender, tx.body, tx.signature))
        # The ceiling is measured in bursts between the blocks, so that both figures see
        # the same machine: other processes' load changes over a run.
        verify_time, verified = verify_burst(samples), len(samples)
        path_time, failures = 0.0, 0
        for offset in range(0, count, block):
            start = time.perf_counter()
            result = chain.propose(wires[offset : offset + block], validator)
            path_time += time.perf_counter() - start
            if result.rejected or result.deferred or len(result.included) != len(wires[offset : offset + block]):
                raise SystemExit(f"block at {offset}: rejected {result.rejected[:1]} deferred {len(result.deferred)}")
            failures += sum(not receipt.ok for _, receipt in result.included)
            verify_time += verify_burst(samples)
            verified += len(samples)
        ceiling = verified / verify_time
        rate = count / path_time
        print(f"(a) Ed25519 verify, one core: {ceiling:,.0f} signatures/s ({1e6 / ceiling:.0f} us each; "
              f"the ceiling, measured between the blocks of (b))")
        print(f"(b) {count:,} signed transactions (half transfers, half token calls) in blocks of {block}: "
              f"{rate:,.0f} tx/s, {path_time / count * 1e6:.0f} us each; ratio to the ceiling {rate / ceiling:.2f} "
              f"(target >= 0.5); {chain.height} blocks, {failures} failed receipts")
        chain.close()


def bench_state_root(accounts, rounds=5):
    """Median seconds to go from a block's journal to its new state root, with `accounts` accounts."""
    from tabellion.runtime.access import Policy
    from tabellion.runtime.chain.commitment import Commitment, rows_of
    from tabellion.runtime.chain.executor import Executor
    from tabellion.runtime.chain.node import run_transactions
    from tabellion.runtime.chain.world import ChainConfig, ChainState
    from tabellion.runtime.membership import genesis_membership
    from tabellion.runtime.merkle import StateTree
    from tabellion.runtime.temporal import Time

    config = ChainConfig(CHAIN_ID, True, Policy.preset("public"), "EUR", 10**8)
    state = ChainState(config)
    state.chain_values["membership"] = genesis_membership(
        {dev_keypair("validator").address: ("admin", "validator")}, quorum=1, min_validators=1)
    rng = random.Random(accounts)
    owners = [Party("tb1" + rng.randbytes(20).hex()) for _ in range(accounts)]
    for owner in owners:
        state.balances[(owner, "EUR")] = 10**9
    senders = [dev_keypair(f"sender{i}") for i in range(200)]
    for keypair in senders:
        state.balances[(Party(keypair.address), "EUR")] = 10**9
    commitment = Commitment(state)
    start = time.perf_counter()
    tree = StateTree.from_items({commitment.key(path): value for path, value in rows_of(state).items()})
    built = time.perf_counter() - start
    executor = Executor(state)
    nonces = [0] * len(senders)
    times, tree_times = [], []
    for _ in range(rounds):
        transactions = []
        for i in range(500):
            index = i % len(senders)
            to = owners[rng.randrange(len(owners))]
            transactions.append(sign_transaction(senders[index], CHAIN_ID, nonces[index], GAS,
                                                 Transfer(to, Money(1, "EUR"))))
            nonces[index] += 1
        included, _, rejected, _ = run_transactions(executor, transactions, Time(0), 1, 10**8)
        assert len(included) == 500, rejected[:1]
        start = time.perf_counter()
        touched = commitment.touched(state.journal)
        batch = {commitment.key(path): value for path, value in touched.items()}
        middle = time.perf_counter()
        tree.update(batch)
        end = time.perf_counter()
        times.append(end - start)
        tree_times.append(end - middle)
        state.finish_block()
    return built, statistics.median(times), statistics.median(tree_times), len(touched)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=20_000)
    parser.add_argument("--block", type=int, default=500)
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--accounts", default="1000,1000000")
    arguments = parser.parse_args()
    bench_path(arguments.transactions, arguments.block, arguments.senders)
    results = {}
    for accounts in (int(text) for text in arguments.accounts.split(",")):
        built, update, tree_update, touched = bench_state_root(accounts)
        results[accounts] = update
        print(f"(c) state root, {accounts:>9,} accounts: tree built in {built:5.2f} s; one block of 500 transfers "
              f"({touched} rows touched): {update * 1e3:6.2f} ms median (tree update {tree_update * 1e3:.2f} ms, "
              f"journal to rows {(update - tree_update) * 1e3:.2f} ms)")
    if len(results) > 1:
        small, large = min(results), max(results)
        print(f"    ratio {large:,} / {small:,} accounts: {results[large] / results[small]:.2f} "
              f"(the update grows with log(state), not state)")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
