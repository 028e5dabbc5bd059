"""A simulation of proof of work: how difficulty and issuance follow a changing hash rate.

It runs the chain's own rules (``work.required_target``, ``issuance.block_reward``)
over simulated blocks without hashing: the time to find a block is drawn from an
exponential distribution whose mean is ``expected_hashes(target) / hash rate``, with
a seeded ``random.Random``, so a run is deterministic. Timestamps are the simulated
clock floored to whole seconds, as a miner would stamp them.

``tabellion chain simulate-pow`` is ``add_arguments`` and ``run`` below; the
functions ``simulate`` and ``render_table_and_chart`` are the programmatic interface.
"""

import math
import random
import sys

import attrs

from tabellion.runtime.consensus.issuance import IssuanceSchedule, block_reward
from tabellion.runtime.consensus.work import PowParams, expected_hashes, required_target, target_for_hashes
from tabellion.runtime.numeric import format_decimal, minor_digits

__all__ = [
    "DEFAULT_ISSUANCE",
    "DEFAULT_SCHEDULE",
    "SimulationRow",
    "add_arguments",
    "default_params",
    "parse_hashrate_schedule",
    "render_table_and_chart",
    "run",
    "simulate",
]

GENESIS_TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00Z, as on development chains
DEFAULT_SCHEDULE = "0:100,3000:400,6000:50"
# 50 TBL a block, halved every 2,000 blocks, capped at 180,000 TBL: the cap bites at block 6,800.
DEFAULT_ISSUANCE = IssuanceSchedule(initial_reward=50_00, halving_interval=2_000, cap=180_000_00, currency="TBL")
_TABLE_ROWS = 25
_CHART_WIDTH = 60
_CHART_HEIGHT = 10


@attrs.frozen
class SimulationRow:
    """One retarget epoch: its blocks, the hash rate at its start, its target and what it took."""

    epoch: int
    first_height: int
    last_height: int
    hashrate: float  # hashes per second at the epoch's first block
    target: int
    difficulty: int  # expected hashes per block
    mean_interval: float  # seconds between blocks, on average over the epoch
    target_interval: int
    issued: int  # minor units issued from genesis to the epoch's last block
    currency: str


def parse_hashrate_schedule(text: str) -> tuple:
    """``"0:100,3000:400"`` -> ``((0, 100), (3000, 400))``: from block 0 at 100 H/s, from 3000 at 400."""
    schedule = []
    for item in text.split(","):
        height, colon, rate = item.strip().partition(":")
        try:
            entry = (int(height), _number_of(rate))
        except ValueError:
            raise ValueError(f"hash-rate schedule: {item.strip()!r} is not HEIGHT:RATE") from None
        if not colon:
            raise ValueError(f"hash-rate schedule: {item.strip()!r} is not HEIGHT:RATE")
        schedule.append(entry)
    return _check_schedule(schedule)


def _number_of(text):
    try:
        return int(text)
    except ValueError:
        return float(text)


def _check_schedule(schedule) -> tuple:
    schedule = tuple((int(height), rate) for height, rate in schedule)
    if not schedule or schedule[0][0] != 0:
        raise ValueError("hash-rate schedule: the first entry must start at block 0")
    if any(later[0] <= earlier[0] for earlier, later in zip(schedule, schedule[1:])):
        raise ValueError("hash-rate schedule: heights must increase")
    if any(not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0) for _, rate in schedule):
        raise ValueError("hash-rate schedule: every rate must be a positive number of hashes per second")
    return schedule


def default_params(hashrate_schedule, *, target_interval: int = 60, retarget_interval: int = 100,
                   issuance: IssuanceSchedule = DEFAULT_ISSUANCE) -> PowParams:
    """Parameters whose genesis difficulty suits the schedule's first hash rate."""
    if isinstance(hashrate_schedule, str):
        hashrate_schedule = parse_hashrate_schedule(hashrate_schedule)
    first_rate = _check_schedule(hashrate_schedule)[0][1]
    return PowParams(
        initial_target=target_for_hashes(round(first_rate * target_interval)),
        issuance=issuance,
        target_interval=target_interval,
        retarget_interval=retarget_interval,
    )


def simulate(blocks: int, hashrate_schedule, params: PowParams, *, seed: int = 0) -> tuple:
    """Simulate blocks 1..``blocks``: one ``SimulationRow`` per retarget epoch.

    ``hashrate_schedule``: ``((height, hashes per second), ...)`` or its text form
    ``"0:100,3000:400"``; the first entry starts at block 0.
    """
    if type(blocks) is not int or blocks < 1:
        raise ValueError(f"blocks must be a positive integer, not {blocks!r}")
    if isinstance(hashrate_schedule, str):
        hashrate_schedule = parse_hashrate_schedule(hashrate_schedule)
    schedule = _check_schedule(hashrate_schedule)
    rng = random.Random(seed)
    timestamps = [GENESIS_TIMESTAMP]
    clock = float(GENESIS_TIMESTAMP)
    target, issued, rows = params.initial_target, 0, []
    epoch_start, epoch_clock, rate_index = 1, clock, 0
    for height in range(1, blocks + 1):
        target = required_target(params, height, target, timestamps.__getitem__)
        if height == epoch_start:
            epoch_target = target
        while rate_index + 1 < len(schedule) and schedule[rate_index + 1][0] <= height:
            rate_index += 1
        rate = schedule[rate_index][1]
        clock += rng.expovariate(rate / expected_hashes(target))
        timestamps.append(max(int(clock), timestamps[-1]))
        issued += block_reward(params.issuance, height)
        if height % params.retarget_interval == 0 or height == blocks:
            rows.append(SimulationRow(
                epoch=len(rows) + 1, first_height=epoch_start, last_height=height,
                hashrate=_rate_at(schedule, epoch_start), target=epoch_target,
                difficulty=expected_hashes(epoch_target),
                mean_interval=(clock - epoch_clock) / (height - epoch_start + 1),
                target_interval=params.target_interval, issued=issued, currency=params.issuance.currency,
            ))
            epoch_start, epoch_clock = height + 1, clock
    return tuple(rows)


def _rate_at(schedule, height):
    return [rate for start, rate in schedule if start <= height][-1]


# -- rendering -------------------------------------------------------------------------


def _amount(units: int, currency: str) -> str:
    return f"{format_decimal(units, minor_digits(currency))} {currency}"


def _number(value) -> str:
    """Whole numbers as such, with thousands separated; small fractions with one decimal."""
    return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.1f}"


def _table_rows(rows) -> list:
    """Every k-th epoch, the last, and the two epochs from each hash-rate change."""
    step = max(1, math.ceil(len(rows) / _TABLE_ROWS))
    keep = set(range(0, len(rows), step)) | {len(rows) - 1}
    for index in range(1, len(rows)):
        if rows[index].hashrate != rows[index - 1].hashrate:
            keep |= {index - 1, index, min(index + 1, len(rows) - 1)}
    return [rows[index] for index in sorted(keep)]


def _table(rows) -> str:
    header = ("blocks", "hash rate (H/s)", "difficulty (hashes)", "mean interval (s)", "issued")
    body = [
        (f"{row.first_height:,}-{row.last_height:,}", _number(row.hashrate), f"{row.difficulty:,}",
         f"{row.mean_interval:.1f}", _amount(row.issued, row.currency))
        for row in _table_rows(rows)
    ]
    widths = [max(len(line[column]) for line in [header] + body) for column in range(len(header))]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(line, widths)) for line in [header] + body]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _chart(title, rows, value, label) -> str:
    """A column chart, one column per group of epochs (the group's last value)."""
    columns = min(len(rows), _CHART_WIDTH)
    samples = [rows[(index + 1) * len(rows) // columns - 1] for index in range(columns)]
    values = [value(row) for row in samples]
    top = max(values) or 1
    levels = [round(v / top * _CHART_HEIGHT) for v in values]
    width = max(len(label(top)), len(label(0)))
    lines = [title]
    for level in range(_CHART_HEIGHT, 0, -1):
        axis = label(top) if level == _CHART_HEIGHT else label(top / 2) if level == _CHART_HEIGHT // 2 else ""
        bars = "".join("#" if height >= level else " " for height in levels)
        lines.append(f"{axis.rjust(width)} |{bars}")
    lines.append(f"{label(0).rjust(width)} +{'-' * columns}")
    first, last = f"block {samples[0].first_height:,}", f"{samples[-1].last_height:,}"
    lines.append(" " * (width + 2) + first + last.rjust(max(1, columns - len(first))))
    return "\n".join(lines)


def render_table_and_chart(rows) -> str:
    """The simulation as a table of epochs and two text charts (difficulty, cumulative issuance)."""
    if not rows:
        return "no blocks simulated\n"
    blocks = rows[-1].last_height
    elapsed = sum(row.mean_interval * (row.last_height - row.first_height + 1) for row in rows)
    summary = (
        f"{blocks:,} blocks in {len(rows)} retarget epochs; mean interval {elapsed / blocks:.1f} s"
        f" (target {rows[0].target_interval} s); issued {_amount(rows[-1].issued, rows[-1].currency)}"
    )
    currency = rows[-1].currency
    parts = [
        summary,
        _table(rows),
        _chart("difficulty (expected hashes per block)", rows, lambda row: row.difficulty, _number),
        _chart(f"cumulative issuance ({currency})", rows, lambda row: row.issued,
               lambda units: _number(units / 10 ** minor_digits(currency))),
    ]
    return "\n\n".join(parts) + "\n"


# -- the `tabellion chain simulate-pow` command ------------------------------------------


def add_arguments(parser) -> None:
    parser.add_argument("--blocks", type=int, default=10_000, help="blocks to simulate (default 10,000)")
    parser.add_argument("--hashrate", default=DEFAULT_SCHEDULE, metavar="SCHEDULE",
                        help=f"HEIGHT:RATE,... hash rates in H/s from each height (default {DEFAULT_SCHEDULE})")
    parser.add_argument("--interval", type=int, default=60, help="target seconds between blocks (default 60)")
    parser.add_argument("--retarget", type=int, default=100, help="blocks between retargets (default 100)")
    parser.add_argument("--reward", type=int, default=DEFAULT_ISSUANCE.initial_reward,
                        help="initial block reward, in minor units (default 5000)")
    parser.add_argument("--halving", type=int, default=DEFAULT_ISSUANCE.halving_interval,
                        help="blocks between halvings (default 2,000)")
    parser.add_argument("--cap", type=int, default=DEFAULT_ISSUANCE.cap,
                        help="hard cap on issuance, in minor units (default 18,000,000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the block-time sampler (default 0)")


def run(args, out=None) -> int:
    """Run the simulation the arguments describe and print it; exit status 2 on bad arguments."""
    out = out or sys.stdout
    try:
        schedule = parse_hashrate_schedule(args.hashrate)
        issuance = IssuanceSchedule(args.reward, args.halving, args.cap, DEFAULT_ISSUANCE.currency)
        params = default_params(schedule, target_interval=args.interval, retarget_interval=args.retarget,
                                issuance=issuance)
        rows = simulate(args.blocks, schedule, params, seed=args.seed)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    out.write(render_table_and_chart(rows))
    return 0
