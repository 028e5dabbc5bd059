"""`tabellion gas-schedule`: print the gas schedule (the same table as docs/gas.md)."""

from __future__ import annotations

__all__ = ["add_arguments", "run", "schedule_table"]


def add_arguments(parser) -> None:
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")


def schedule_table(markdown: bool = False) -> str:
    from .. import gas

    rows = [(name, f"{cost:_}", meaning) for name, cost, meaning in gas.SCHEDULE]
    if markdown:
        lines = ["| constant | gas | charged for |", "| --- | ---: | --- |"]
        lines += [f"| `{name}` | {cost} | {meaning} |" for name, cost, meaning in rows]
        return "\n".join(lines)
    width = max(len(name) for name, _, _ in rows)
    lines = [f"{'constant':<{width}}  {'gas':>6}  charged for", "-" * (width + 30)]
    lines += [f"{name:<{width}}  {cost:>6}  {meaning}" for name, cost, meaning in rows]
    lines.append("")
    lines.append(f"default gas limit per transaction: {gas.DEFAULT_GAS_LIMIT:_}; "
                 f"call depth limit: {gas.MAX_CALL_DEPTH}")
    return "\n".join(lines)


def run(args) -> int:
    print(schedule_table(args.markdown))
    return 0
