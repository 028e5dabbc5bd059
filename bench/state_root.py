"""Benchmark: Ed25519 verification rate, and state-root updates on small and large states.

Run: python bench/state_root.py [--sizes 1000,1000000] [--rounds 15]

Prints the signatures verified per second on one core (``keys.verify`` against
PyNaCl's ``VerifyKey.verify`` as the baseline), then, for each state size, the
time to build the tree and the median time of one state-root update of a
1,500-key batch: 800 values rewritten, 200 keys deleted, 500 keys added. Each
timed batch is followed by an untimed one that restores the state, so every
round starts from the same tree (and the root is checked to come back). The last
line is the ratio of the largest state's update time to the smallest's; the
target is within 2x, the cost growing with log(size), not size.
"""

import argparse
import os
import random
import statistics
import time

from nacl.signing import VerifyKey

from tabellion.runtime.keys import dev_keypair, verify
from tabellion.runtime.merkle import StateTree

BATCH_REWRITES, BATCH_DELETES, BATCH_ADDS = 800, 200, 500


def verify_rate(verify_one, signed, seconds=1.0) -> float:
    """Signatures verified per second by ``verify_one(public_key, message, signature)``."""
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for public_key, message, signature in signed:
            verify_one(public_key, message, signature)
        count += len(signed)
    return count / (time.perf_counter() - start)


def nacl_verify(public_key, message, signature):
    VerifyKey(public_key).verify(message, signature)
    return True


def bench_signatures():
    keypairs = [dev_keypair(f"party{i}") for i in range(20)]
    signed = []
    for i in range(500):
        keypair = keypairs[i % len(keypairs)]
        message = os.urandom(160)  # about a small transaction's encoding
        signed.append((keypair.public_key, message, keypair.sign(message)))
    assert all(verify(*item) for item in signed)
    ours, baseline = verify_rate(verify, signed), verify_rate(nacl_verify, signed)
    print(
        f"Ed25519 verify, one core: {ours:,.0f}/s"
        f" (baseline VerifyKey.verify: {baseline:,.0f}/s, ratio {ours / baseline:.2f})"
    )


def state_key(rng):
    return b"storage/" + rng.randbytes(24)


def bench_state(size, rounds, rng):
    """(build seconds, median update seconds) on a tree of ``size`` keys."""
    contents = {state_key(rng): rng.randbytes(40) for _ in range(size)}
    keys = list(contents)
    start = time.perf_counter()
    tree = StateTree.from_items(contents)
    build = time.perf_counter() - start
    initial_root, times = tree.root(), []
    for _ in range(rounds):
        touched = rng.sample(keys, min(len(keys), BATCH_REWRITES + BATCH_DELETES))
        rewritten, deleted = touched[:BATCH_REWRITES], touched[BATCH_REWRITES:]
        missing = BATCH_REWRITES + BATCH_DELETES - len(touched)  # when the state is too small
        added = [state_key(rng) for _ in range(BATCH_ADDS + missing)]
        batch = {key: rng.randbytes(40) for key in rewritten + added}
        batch.update(dict.fromkeys(deleted))
        start = time.perf_counter()
        tree.update(batch)
        times.append(time.perf_counter() - start)
        restore = {key: contents[key] for key in touched}
        restore.update(dict.fromkeys(added))
        tree.update(restore)
        assert tree.root() == initial_root, "restoring the state did not restore the root"
    return build, statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--rounds", type=int, default=15)
    arguments = parser.parse_args()
    bench_signatures()
    rng = random.Random(2026)
    results = {}
    for size in (int(text) for text in arguments.sizes.split(",")):
        build, update = bench_state(size, arguments.rounds, rng)
        results[size] = update
        print(
            f"state of {size:>9,} keys: built in {build:6.2f} s;"
            f" 1,500-key update {update * 1e3:6.2f} ms median"
        )
    smallest, largest = min(results), max(results)
    ratio = results[largest] / results[smallest]
    print(f"update time ratio, {largest:,} / {smallest:,} keys: {ratio:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
