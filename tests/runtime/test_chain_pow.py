"""Proof-of-work chains: mining blocks, the coinbase and its schedule, retargeting, verify on replay."""

import attrs
import pytest
from tabellion.runtime.chain import node
from tabellion.runtime.chain.blocks import decode_header
from tabellion.runtime.chain.errors import ChainError, VerificationFailed
from tabellion.runtime.chain.node import Chain
from tabellion.runtime.chain.storage import Storage
from tabellion.runtime.chain.verify import verify_chain
from tabellion.runtime.consensus.issuance import (
    IssuanceSchedule,
    block_reward,
    issued_through,
)
from tabellion.runtime.consensus.work import (
    PowParams,
    meets_target,
    mine,
    required_target,
    work_hash,
)
from tabellion.runtime.keys import dev_keypair
from tabellion.runtime.values import Party

START = 2**252  # 16 hashes a block on average


def _params(**changes):
    values = {"initial_target": START, "issuance": IssuanceSchedule(10_00, 3, 45_00, "EUR"),
              "target_interval": 60, "retarget_interval": 2}
    values.update(changes)
    return PowParams(**values)


def _chain(tmp_path, params=None):
    return Chain.init(tmp_path / "chain", dev_keypair("validator"), dev=True, chain_id="pow",
                      pow=params or _params())


def _mine_blocks(chain, count, step=0, miner="alice"):
    for _ in range(count):
        result = chain.propose([], dev_keypair(miner), timestamp=chain.head.timestamp + step, allow_empty=True)
        assert result.header is not None
    return chain.head


def _failure(directory):
    with pytest.raises(VerificationFailed) as caught:
        verify_chain(directory)
    return caught.value


def _rewrite(directory, height, change):
    """Replace stored block `height`'s header by `change(header)`, with a consistent stored hash."""
    storage = Storage.open(directory)
    header = change(decode_header(storage.block(height)[1]))
    storage.connection.execute("UPDATE blocks SET header = ?, hash = ? WHERE height = ?",
                               (header.to_bytes(), header.hash, height))
    storage.close()


def _remined(header):
    found = mine(header.work_bytes(), header.work[0])
    return attrs.evolve(header, work=(*header.work[:3], found[0]))


def test_a_mined_chain_meets_its_targets_and_verifies(tmp_path):
    with _chain(tmp_path) as chain:
        _mine_blocks(chain, 5, step=30)
        storage = chain.storage
        for height in range(1, 6):
            _, header_bytes, proof = storage.block(height)
            header = decode_header(header_bytes)
            assert proof == b"" and header.proposer == dev_keypair("alice").public_key
            assert meets_target(work_hash(header.work_bytes(), header.nonce), header.target)
        root = chain.head.state_root
    report = verify_chain(tmp_path / "chain")
    assert report.head == 5 and report.state_root == root
    with Chain.open(tmp_path / "chain") as chain:
        assert chain.config.pow == _params()
        _mine_blocks(chain, 1)  # reopened, it mines on
    assert verify_chain(tmp_path / "chain").head == 6


def test_a_nonce_that_misses_the_target_is_rejected_live(tmp_path, monkeypatch):
    with _chain(tmp_path) as chain:
        _mine_blocks(chain, 2)

        def bad_nonce(header):
            nonce = next(n for n in range(10_000) if not meets_target(work_hash(header.work_bytes(), n),
                                                                      header.target))
            return attrs.evolve(header, work=(*header.work[:3], nonce))

        monkeypatch.setattr(node, "mine_header", bad_nonce)
        issued = dict(chain.state.issued)
        with pytest.raises(ChainError, match="block 3 is refused: its work hash .* does not meet the target"):
            chain.propose([], dev_keypair("alice"), allow_empty=True)
        assert chain.height == 2 and chain.storage.head() == 2 and chain.state.issued == issued
        monkeypatch.undo()
        _mine_blocks(chain, 1)
    assert verify_chain(tmp_path / "chain").head == 3


def test_a_tampered_nonce_is_found_by_verify(tmp_path):
    with _chain(tmp_path) as chain:
        _mine_blocks(chain, 4)

    def tamper(header):
        nonce = next(n for n in range(10_000) if not meets_target(work_hash(header.work_bytes(), n), header.target))
        return attrs.evolve(header, work=(*header.work[:3], nonce))

    _rewrite(tmp_path / "chain", 3, tamper)
    failure = _failure(tmp_path / "chain")
    assert failure.height == 3 and "does not meet the target" in failure.reason


def test_an_inflated_coinbase_is_rejected_live_and_on_replay(tmp_path, monkeypatch):
    with _chain(tmp_path) as chain:
        _mine_blocks(chain, 2)
        monkeypatch.setattr(node, "coinbase_amount", lambda params, height: block_reward(params.issuance, height) + 1)
        with pytest.raises(ChainError, match="block 3 is refused: its coinbase pays 1001 minor units, "
                                             "more than the schedule's 1000"):
            chain.propose([], dev_keypair("alice"), allow_empty=True)
        assert chain.storage.head() == 2
        assert chain.state.balance(Party(dev_keypair("alice").address)).units == 20_00
        monkeypatch.undo()
        _mine_blocks(chain, 2)

    def inflate(header):
        target, recipient, amount, nonce = header.work
        return _remined(attrs.evolve(header, work=(target, recipient, amount + 1, nonce)))

    _rewrite(tmp_path / "chain", 3, inflate)
    failure = _failure(tmp_path / "chain")
    assert failure.height == 3 and "more than the schedule" in failure.reason


def test_issuance_follows_the_schedule_across_halvings_to_the_cap(tmp_path):
    params = _params()  # 10 EUR a block, halved every 3 blocks, capped at 45 EUR
    alice = Party(dev_keypair("alice").address)
    with _chain(tmp_path, params) as chain:
        paid = []
        for height in range(1, 11):
            before = chain.state.balance(alice).units
            _mine_blocks(chain, 1)
            paid.append(chain.state.balance(alice).units - before)
            assert chain.head.work[2] == block_reward(params.issuance, height)
            assert chain.state.issued["EUR"] == issued_through(params.issuance, height)
        assert paid == [10_00, 10_00, 10_00, 5_00, 5_00, 5_00, 0, 0, 0, 0]  # the cap bites at block 6
    assert verify_chain(tmp_path / "chain").head == 10


def test_the_coinbase_pays_the_miner_address_when_given(tmp_path):
    bob = dev_keypair("bob").address
    with _chain(tmp_path) as chain:
        result = chain.propose([], dev_keypair("alice"), allow_empty=True, miner=bob)
        assert result.header.work[1] == bob
        assert chain.state.balance(Party(bob)).units == 10_00
        assert chain.state.balance(Party(dev_keypair("alice").address)).units == 0
    verify_chain(tmp_path / "chain")


def test_difficulty_retargets_toward_the_interval(tmp_path):
    params = _params()  # retarget every 2 blocks toward 60 s
    with _chain(tmp_path, params) as chain:
        targets = []
        for step in (15, 15, 15, 15, 240, 240, 60, 60, 30, 30):  # fast, fast, slow, on time, twice as fast
            _mine_blocks(chain, 1, step=step)
            targets.append(chain.head.target)
    assert targets[:2] == [START, START]
    assert targets[2:4] == [START // 4] * 2     # blocks 1-2 took 30 s of 120: clamped to 4x harder
    assert targets[4:6] == [START // 16] * 2    # blocks 3-4 took 30 s again
    assert targets[6:8] == [START // 16 * 4] * 2  # 480 s of 120: 4x easier
    assert targets[8:10] == [START // 16 * 4] * 2  # 120 s of 120: unchanged
    storage = Storage.open(tmp_path / "chain", readonly=True)
    headers = [decode_header(storage.block(h)[1]) for h in range(storage.head() + 1)]
    storage.close()
    for height in range(1, len(headers)):
        parent = headers[height - 1].target or START
        assert headers[height].target == required_target(params, height, parent, lambda h: headers[h].timestamp)
    assert verify_chain(tmp_path / "chain").head == 10


def test_a_target_the_retarget_rule_does_not_require_is_found(tmp_path):
    with _chain(tmp_path) as chain:
        _mine_blocks(chain, 4, step=15)

    def easier(header):
        target, recipient, amount, nonce = header.work
        return _remined(attrs.evolve(header, work=(target * 2, recipient, amount, nonce)))

    _rewrite(tmp_path / "chain", 3, easier)
    failure = _failure(tmp_path / "chain")
    assert failure.height == 3 and "the retarget rule requires" in failure.reason


def test_proof_of_authority_blocks_carry_no_work(tmp_path):
    with Chain.init(tmp_path / "poa", dev_keypair("validator"), dev=True, chain_id="poa") as chain:
        assert chain.config.pow is None and len(chain.config.to_plain()) == 5
        result = chain.propose([], dev_keypair("validator"), allow_empty=True)
        assert result.header.work is None and chain.state.issued == {}
    assert verify_chain(tmp_path / "poa").head == 1


def test_chain_init_makes_a_mined_chain_from_the_command_line(tmp_path, capsys, monkeypatch):
    from tabellion.runtime.cli import main

    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    directory = str(tmp_path / "cli")
    assert main(["chain", "init", directory, "--dev", "--preset", "public", "--consensus", "work",
                 "--retarget", "5", "--reward", "2", "--halving", "10", "--cap", "100"]) == 0
    assert "proof of work" in capsys.readouterr().out
    assert main(["chain", "fund", directory, "alice", "5 EUR"]) == 0
    assert main(["chain", "transfer", directory, "bob", "1 EUR", "--as", "alice"]) == 0
    with Chain.open(directory, readonly=True) as chain:
        assert chain.config.pow.retarget_interval == 5 and chain.config.pow.issuance.cap == 100_00
        assert chain.head.work[1] == dev_keypair("alice").address  # the --as key mined the block
        assert chain.state.balance(Party(dev_keypair("alice").address)).units == 5_00 - 1_00 + 2_00
    assert main(["chain", "verify", directory]) == 0
    capsys.readouterr()
    assert main(["chain", "show", directory, "2"]) == 0
    shown = capsys.readouterr().out
    assert "coinbase      200 minor units to " + dev_keypair("alice").address in shown and "nonce" in shown
    assert main(["chain", "status", directory]) == 0
    assert "difficulty   16 hashes a block at the head" in capsys.readouterr().out
    assert main(["chain", "init", str(tmp_path / "private"), "--dev", "--preset", "private",
                 "--consensus", "work"]) != 0
    assert main(["chain", "init", str(tmp_path / "poa"), "--dev", "--retarget", "5"]) != 0
