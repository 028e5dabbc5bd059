"""Tests of runtime/consensus: proof of authority, proof of work, issuance and the simulation."""

import argparse
import io

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.consensus import BlockRejected
from tabellion.runtime.consensus.authority import (
    Equivocation,
    EquivocationDetector,
    SignedHeader,
    check_block,
    detect_equivocations,
    expected_proposer,
    find_equivocation,
)
from tabellion.runtime.consensus.issuance import (
    Coinbase,
    IssuanceSchedule,
    block_reward,
    issued_through,
    scheduled_reward,
)
from tabellion.runtime.consensus.simulation import (
    add_arguments,
    default_params,
    parse_hashrate_schedule,
    render_table_and_chart,
    run,
    simulate,
)
from tabellion.runtime.consensus.work import (
    HASH_SPACE,
    MinedHeader,
    PowParams,
    check_pow_block,
    expected_hashes,
    mine,
    next_target,
    required_target,
    retarget_window,
    work_hash,
)
from tabellion.runtime.encoding import decode, encode
from tabellion.runtime.keys import dev_keypair

NOTARIES = [dev_keypair(name) for name in ("notary-a", "notary-b", "notary-c")]
ORDER = sorted(NOTARIES, key=lambda keypair: keypair.address)
VALIDATORS = tuple(keypair.address for keypair in ORDER)
OUTSIDER = dev_keypair("outsider")
CHAIN = "land-registry"
T0 = 1_767_225_600

# -- proof of authority ------------------------------------------------------------------


def test_validators_take_turns_by_height():
    turns = [expected_proposer(VALIDATORS, height, T0, T0 + 1, timeout=10) for height in range(1, 7)]
    assert turns == list(VALIDATORS) * 2


@pytest.mark.parametrize("elapsed, index", [(0, 0), (9, 0), (10, 1), (19, 1), (20, 2), (30, 0), (31, 0)])
def test_the_turn_passes_on_after_each_timeout(elapsed, index):
    assert expected_proposer(VALIDATORS, 4, T0, T0 + elapsed, timeout=10) == VALIDATORS[index]


def sign(keypair, height=1, timestamp=T0 + 1, header=b"header", chain=CHAIN):
    return SignedHeader.sign(keypair, chain, height, timestamp, header)


def check(block, previous_timestamp=T0, **options):
    return check_block(block, chain_id=CHAIN, validators=VALIDATORS, previous_timestamp=previous_timestamp,
                       timeout=10, **options)


def test_a_block_signed_in_turn_is_accepted():
    assert check(sign(ORDER[0], height=1)) == VALIDATORS[0]
    assert check(sign(ORDER[2], height=3)) == VALIDATORS[2]
    assert check(sign(ORDER[1], height=1, timestamp=T0 + 12)) == VALIDATORS[1]  # after the timeout


@pytest.mark.parametrize("block, options, message", [
    (lambda: sign(ORDER[1], height=1), {}, "signed out of turn by .*: 1 s after its parent it is .*'s turn"),
    (lambda: sign(ORDER[0], height=1, timestamp=T0 + 12), {}, "signed out of turn"),
    (lambda: sign(OUTSIDER, height=1), {}, "which is not a validator"),
    (lambda: attrs.evolve(sign(ORDER[0]), header=b"forged"), {}, "its signature by .* is invalid"),
    (lambda: attrs.evolve(sign(ORDER[0]), signature=b"\0" * 64), {}, "its signature by .* is invalid"),
    (lambda: sign(ORDER[0], timestamp=T0 - 1), {}, "earlier than its parent's"),
    (lambda: sign(ORDER[0], timestamp=T0 + 100), {"now": T0 + 50}, "more than 15 s ahead of the clock"),
    (lambda: sign(ORDER[0], chain="other-registry"), {}, "signed for chain 'other-registry', not 'land-registry'"),
    (lambda: sign(ORDER[0], height=0), {}, "only blocks from height 1 are signed"),
    (lambda: attrs.evolve(sign(ORDER[0]), public_key=b"short"), {}, "proposer's public key is malformed"),
])
def test_blocks_breaking_the_rules_are_rejected(block, options, message):
    with pytest.raises(BlockRejected, match=message):
        check(block(), **options)


def test_the_turn_is_checked_against_the_header_timestamp():
    late = sign(ORDER[1], height=1, timestamp=T0 + 15)
    assert check(late) == VALIDATORS[1]
    with pytest.raises(BlockRejected, match="signature .* is invalid"):
        check(attrs.evolve(late, timestamp=T0 + 1, signature=late.signature), previous_timestamp=T0 - 9)


def test_two_different_blocks_at_one_height_are_equivocation():
    first, second = sign(ORDER[0], header=b"block A"), sign(ORDER[0], header=b"block B")
    evidence = find_equivocation(first, second)
    assert evidence is not None and evidence.proposer == VALIDATORS[0] and evidence.height == 1
    assert Equivocation.from_plain(decode(encode(evidence.to_plain()))) == evidence


@pytest.mark.parametrize("second", [
    lambda: sign(ORDER[0], header=b"block A"),  # the same block again
    lambda: sign(ORDER[0], height=2, header=b"block B"),  # another height
    lambda: sign(ORDER[1], header=b"block B"),  # another validator
    lambda: sign(ORDER[0], header=b"block B", chain="other"),  # another chain
    lambda: attrs.evolve(sign(ORDER[0], header=b"block B"), signature=bytes(64)),  # a forgery frames nobody
])
def test_what_is_not_equivocation(second):
    assert find_equivocation(sign(ORDER[0], header=b"block A"), second()) is None


def test_the_detector_reports_each_extra_block_once_it_is_seen():
    blocks = [sign(ORDER[0], header=b"A"), sign(ORDER[1], height=2), sign(ORDER[0], header=b"A"),
              sign(ORDER[0], header=b"B"), sign(ORDER[0], header=b"C")]
    found = detect_equivocations(blocks)
    assert [evidence.second.header for evidence in found] == [b"B", b"C"]
    detector = EquivocationDetector()
    detector.observe(blocks[0])
    detector.forget_below(2)
    assert detector.observe(blocks[3]) is None


@given(st.integers(1, 10**6), st.integers(0, 10**4), st.integers(1, 100))
def test_exactly_one_validator_may_sign_each_block(height, elapsed, timeout):
    expected = expected_proposer(VALIDATORS, height, T0, T0 + elapsed, timeout)
    assert expected in VALIDATORS
    if elapsed < timeout:
        assert expected == VALIDATORS[(height - 1) % len(VALIDATORS)]


# -- issuance ------------------------------------------------------------------------------

SCHEDULE = IssuanceSchedule(initial_reward=5000, halving_interval=10, cap=95_000, currency="TBL")


def test_rewards_halve_and_stop_at_the_cap():
    assert [block_reward(SCHEDULE, height) for height in (0, 1, 10, 11, 20, 21)] == [0, 5000, 5000, 2500, 2500, 1250]
    # 10 * (5000 + 2500 + 1250 + 625) = 93,750; then 312 a block: the cap of 95,000 bites at block 45.
    assert issued_through(SCHEDULE, 40) == 93_750
    assert [block_reward(SCHEDULE, height) for height in (44, 45, 46)] == [312, 95_000 - 93_750 - 4 * 312, 0]
    assert issued_through(SCHEDULE, 10**9) == 95_000


schedules = st.builds(IssuanceSchedule, st.integers(1, 10**12), st.integers(1, 10**4), st.integers(1, 10**15))


@given(schedules, st.integers(0, 10**5))
def test_issuance_is_the_sum_of_rewards_and_never_exceeds_the_cap(schedule, height):
    assert issued_through(schedule, height) <= schedule.cap
    assert 0 <= block_reward(schedule, height + 1) <= scheduled_reward(schedule, height + 1)
    assert issued_through(schedule, height + 1) == issued_through(schedule, height) + block_reward(schedule, height + 1)


def test_issuance_sums_agree_with_a_loop():
    schedule = IssuanceSchedule(initial_reward=1000, halving_interval=7, cap=12_000)
    total = 0
    for height in range(1, 200):
        total += min(scheduled_reward(schedule, height), schedule.cap - total)
        assert issued_through(schedule, height) == total


@pytest.mark.parametrize("make, message", [
    (lambda: IssuanceSchedule(0, 10, 100), "initial_reward must be a positive integer"),
    (lambda: IssuanceSchedule(10, 10, 100, "tbl"), "three-letter code"),
])
def test_bad_schedules_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# -- proof of work --------------------------------------------------------------------------

EASY = HASH_SPACE >> 8  # about 256 hashes a block
PARAMS = PowParams(initial_target=EASY, issuance=SCHEDULE, target_interval=60, retarget_interval=10)
MINER = dev_keypair("miner").address


def mined(height=1, timestamp=T0 + 60, target=EASY, header=b"block 1"):
    nonce, _ = mine(header, target)
    return MinedHeader(height, timestamp, target, header, nonce)


def pow_check(block, coinbase=None, **options):
    arguments = {"params": PARAMS, "parent_target": EASY, "parent_timestamp": T0, "timestamp_at": lambda h: T0 + 60 * h}
    arguments.update(options)
    return check_pow_block(block, coinbase or Coinbase(MINER, 5000, "TBL"), **arguments)


def test_a_mined_block_is_accepted():
    block = mined()
    assert pow_check(block) == work_hash(block.header, block.nonce)
    assert int.from_bytes(work_hash(block.header, block.nonce), "big") < EASY


def test_a_nonce_missing_the_target_is_rejected():
    block = mined()
    misses = next(nonce for nonce in range(10_000)
                  if int.from_bytes(work_hash(block.header, nonce), "big") >= EASY)
    with pytest.raises(BlockRejected, match="does not meet the target"):
        pow_check(attrs.evolve(block, nonce=misses))


@pytest.mark.parametrize("coinbase, message", [
    (Coinbase(MINER, 5001, "TBL"), "pays 5001 minor units, more than the schedule's 5000"),
    (Coinbase(MINER, 100, "EUR"), "pays EUR, not the chain's TBL"),
    (Coinbase("miner", 100, "TBL"), "which is not an address"),
    (Coinbase(MINER, -1, "TBL"), "not a non-negative integer"),
])
def test_a_coinbase_beyond_the_schedule_is_rejected(coinbase, message):
    with pytest.raises(BlockRejected, match=message):
        pow_check(mined(), coinbase)


def test_a_coinbase_may_pay_less_than_the_reward():
    assert pow_check(mined(), Coinbase(MINER, 0, "TBL"))


def test_the_target_must_follow_the_retarget_rule():
    # Block 11 opens the second epoch; blocks 1..10 came twice too fast, so the target halves.
    fast = lambda height: T0 + 30 * height  # noqa: E731
    required = required_target(PARAMS, 11, EASY, fast)
    assert required == EASY // 2
    block = mined(height=11, timestamp=fast(11), target=required, header=b"block 11")
    coinbase = Coinbase(MINER, 2500, "TBL")  # the reward halved at block 11
    assert pow_check(block, coinbase, parent_target=EASY, parent_timestamp=fast(10), timestamp_at=fast)
    with pytest.raises(BlockRejected, match="the retarget rule requires"):
        pow_check(attrs.evolve(mined(height=11, timestamp=fast(11)), target=EASY), parent_target=EASY,
                  parent_timestamp=fast(10), timestamp_at=fast)


def test_timestamps_may_not_go_back_nor_run_ahead():
    with pytest.raises(BlockRejected, match="earlier than its parent's"):
        pow_check(mined(timestamp=T0 - 1))
    with pytest.raises(BlockRejected, match="too far ahead of the clock"):
        pow_check(mined(timestamp=T0 + 10_000), now=T0)


def test_retarget_windows_cover_whole_epochs():
    assert [retarget_window(PARAMS, height) for height in (1, 10, 11, 12, 21)] == [None, None, (0, 10), None, (10, 20)]


@pytest.mark.parametrize("actual, expected_target", [
    (600, EASY), (300, EASY // 2), (1200, EASY * 2), (1, EASY // 4), (0, EASY // 4), (10**9, EASY * 4),
])
def test_each_adjustment_is_clamped_to_a_factor_of_four(actual, expected_target):
    assert next_target(PARAMS, EASY, T0, T0 + actual) == expected_target


@given(st.integers(1, HASH_SPACE), st.integers(0, 10**7))
def test_retargeting_never_moves_more_than_four_times_nor_past_the_maximum(previous, actual):
    params = PowParams(initial_target=1, issuance=SCHEDULE, max_target=HASH_SPACE)
    target = next_target(params, previous, 0, actual)
    assert max(1, previous // 4) <= target <= min(previous * 4, HASH_SPACE)


def test_the_miner_gives_up_after_its_limit():
    assert mine(b"header", 1, limit=100) is None
    nonce, digest = mine(b"header", HASH_SPACE, start=42)
    assert nonce == 42 and digest == work_hash(b"header", 42)


def test_difficulty_is_expected_hashes():
    assert expected_hashes(EASY) == 256 and expected_hashes(HASH_SPACE) == 1


# -- the simulation ---------------------------------------------------------------------------


def test_the_schedule_parses():
    assert parse_hashrate_schedule("0:100,3000:400,6000:50") == ((0, 100), (3000, 400), (6000, 50))
    assert parse_hashrate_schedule("0:2.5") == ((0, 2.5),)


@pytest.mark.parametrize("text, message", [
    ("100", "is not HEIGHT:RATE"), ("0:fast", "is not HEIGHT:RATE"), ("5:100", "must start at block 0"),
    ("0:100,0:200", "heights must increase"), ("0:0", "positive number"), ("0:nan", "positive number"),
])
def test_bad_schedules_are_explained(text, message):
    with pytest.raises(ValueError, match=message):
        parse_hashrate_schedule(text)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("mistake", [1, 10, 1 / 10])
def test_retargeting_keeps_the_mean_interval_within_ten_percent_under_a_constant_hash_rate(seed, mistake):
    """Even when genesis guesses the hash rate wrong by 10x (two clamped retargets), the interval settles."""
    schedule = ((0, 200),)
    guess = default_params(schedule)
    params = attrs.evolve(guess, initial_target=int(guess.initial_target * mistake))
    rows = simulate(10_000, schedule, params, seed=seed)
    settled = rows[5:]  # from block 501: after the first retargets
    blocks = sum(row.last_height - row.first_height + 1 for row in settled)
    mean = sum(row.mean_interval * (row.last_height - row.first_height + 1) for row in settled) / blocks
    assert abs(mean - 60) <= 6
    for start in range(0, len(settled), 20):  # also over every 2,000 blocks
        window = settled[start:start + 20]
        window_mean = sum(row.mean_interval for row in window) / len(window)
        assert abs(window_mean - 60) <= 6


def test_the_simulation_is_deterministic_and_follows_the_schedule():
    schedule = parse_hashrate_schedule("0:100,3000:400,6000:50")
    params = default_params(schedule)
    rows = simulate(10_000, schedule, params)
    assert rows == simulate(10_000, schedule, params)
    assert rows != simulate(10_000, schedule, params, seed=1)
    assert len(rows) == 100 and rows[-1].last_height == 10_000
    assert rows[-1].issued == issued_through(params.issuance, 10_000) == params.issuance.cap
    # Four times the hash rate: difficulty ends about four times as high, then falls with the rate.
    assert 3 < rows[59].difficulty / rows[29].difficulty < 5.5
    assert rows[99].difficulty < rows[59].difficulty / 5
    for earlier, later in zip(rows, rows[1:]):
        assert earlier.target // 4 <= later.target <= earlier.target * 4


def test_the_rendering_has_a_table_and_two_charts():
    schedule = parse_hashrate_schedule("0:100,3000:400,6000:50")
    text = render_table_and_chart(simulate(10_000, schedule, default_params(schedule)))
    assert text.startswith("10,000 blocks in 100 retarget epochs; mean interval ")
    assert "difficulty (hashes)" in text and "mean interval (s)" in text
    assert "difficulty (expected hashes per block)" in text and "cumulative issuance (TBL)" in text
    assert "180_000.00 TBL" in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_the_command_prints_the_simulation_and_refuses_bad_arguments(capsys):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    out = io.StringIO()
    assert run(parser.parse_args(["--blocks", "500", "--hashrate", "0:10,200:40"]), out) == 0
    assert out.getvalue().startswith("500 blocks in 5 retarget epochs")
    assert run(parser.parse_args(["--hashrate", "0:10,0:5"]), out) == 2
    assert "error: hash-rate schedule: heights must increase" in capsys.readouterr().err
