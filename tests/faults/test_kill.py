"""A process committing blocks is killed with SIGKILL at random moments; the chain survives.

A forked child opens the chain and commits small blocks of a deterministic workload
in a loop until it is killed, after a random delay. After each kill the parent
reopens the chain (which checks the stored state against the head's state root),
checks that the stored blocks are a prefix of the blocks the workload produces (the
same transactions, height by height), that no committed block was lost, and that
`verify` replays the whole chain without a mismatch: a half-applied block would
fail all three.
"""

import os
import random
import signal
import sys
import time

import pytest
from chain_world import Workload, commit, new_chain
from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.verify import verify_chain
from tabellion.runtime.keys import dev_keypair

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")

SEED = 11


def _expected_blocks(count: int) -> list:
    workload = Workload(SEED)
    return [[tx.hash for tx in workload.next_block()] for _ in range(count)]


def _commit_forever(directory):
    chain = Chain.open(directory)
    validator = dev_keypair("validator")
    workload = Workload(SEED)
    for _ in range(chain.height):
        workload.next_block()  # bring the workload's nonces up to the stored head
    while True:
        commit(chain, validator, workload.next_block())


def _kill_loop(directory, kills, max_delay, rng):
    seen_height = 0
    expected = []
    for _ in range(kills):
        pid = os.fork()
        if pid == 0:  # the child: commit until killed
            status = 0
            try:
                _commit_forever(directory)
            except BaseException:  # noqa: BLE001 - report through the exit status only
                import traceback

                traceback.print_exc()
                status = 1
            finally:
                os._exit(status)
        time.sleep(rng.uniform(0.0, max_delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the child stopped by itself"
        with Chain.open(directory) as chain:  # checks the stored state against the head's root
            height = chain.height
            assert height >= seen_height, f"block {seen_height} was committed, then lost"
            if len(expected) < height:
                expected = _expected_blocks(height + 50)
            for stored in range(1, height + 1):
                hashes = [tx_hash for tx_hash, _, _ in chain.storage.transactions(stored)]
                assert hashes == expected[stored - 1], f"block {stored} is not the block submitted"
        report = verify_chain(directory)
        assert report.head == height
        seen_height = height
    return seen_height


def _fresh(tmp_path):
    chain, validator = new_chain(tmp_path / "chain")
    commit(chain, validator, Workload(SEED).next_block())  # block 1: funds and the deploy
    chain.close()
    return tmp_path / "chain"


def test_sigkill_while_committing_leaves_a_verifiable_prefix(tmp_path):
    directory = _fresh(tmp_path)
    height = _kill_loop(directory, kills=50, max_delay=0.06, rng=random.Random(1))
    assert height > 10, "few blocks were committed between kills: the test did not exercise much"


@pytest.mark.slow
def test_sigkill_while_committing_many_times(tmp_path):
    """300 kills, on six chains in turn so that each verify stays short."""
    for round_ in range(6):
        directory = _fresh(tmp_path / f"round{round_}")
        height = _kill_loop(directory, kills=50, max_delay=0.15, rng=random.Random(100 + round_))
        print(f"round {round_}: {height} blocks survived 50 kills", file=sys.stderr)
