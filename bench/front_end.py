"""Front-end speed: our parse + check against Lark's bare parse, and `tabellion check` cold start.

Run as `python bench/front_end.py` (never collected by pytest). It prints, measured in
the same run:

1. a generated, realistic 10,000-line .sc file (contracts with entries, loops,
   waterfalls, scenarios) parsed by a plain `lark.Lark(grammar, parser="lalr")`
   building a tree, against `compile_source` (our parse, AST and checker), in lines
   per second, and the ratio (target: at most 2);
2. the median wall time of 10 cold `tabellion check` runs on the smallest example,
   against 10 cold `python -c pass` (target: at most 250 ms).

No assertions: the figures are for reading.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_LINES = 10_000
RUNS = 5
COLD_RUNS = 10


# ---------------------------------------------------------------- the workload


def contract_source(n: int) -> str:
    """One contract of about 100 lines, with a file-level scenario exercising it."""
    return f'''// Contract {n}: a film's receipts, a policy pool and a ledger of invoices.
contract Deal{n} {{
    party cam
    party agent
    party producer
    party financier
    role oracle
    role auditors

    param equity: Money
    param premium: Money = 20 EUR
    param payout: Money = 100 EUR
    param threshold: Duration = 2h
    param fee_cap: Money = 10_000 EUR

    record Policy {{ holder: Party, flight: Text, day: Date, paid: Bool }}
    record Invoice {{ debtor: Party, amount: Money, due: Date, settled: Bool }}
    enum Status {{ Open, Paid, Closed }}

    state policies: Map[Int, Policy] visible to auditors
    state invoices: List[Invoice]
    state count: Int = 0
    state total: Money = 0 EUR
    state status: Status = Status.Open
    state history: List[Money]

    event Bought(id: Int, holder: Party)
    event Paid(id: Int, amount: Money)
    event Received(source: Text, amount: Money)

    invariant total >= 0 EUR, "the total never goes negative"

    fn fee(amount: Money, rate: Rate) -> Money {{
        if amount > 1_000 EUR {{
            return amount * rate
        }} else if amount > 100 EUR {{
            return amount * rate / 2
        }} else {{
            return 0 EUR
        }}
    }}

    fn squares(limit: Int) -> Int {{
        let acc = 0
        let i = 0
        while i < limit {{
            acc += i * i + {n} % 7
            i += 1
        }}
        return acc
    }}

    entry buy(flight: Text, day: Date) by anyone pays premium {{
        require status == Status.Open, "the pool is closed"
        policies[count] = Policy(holder: caller, flight: flight, day: day, paid: false)
        emit Bought(count, caller)
        count += 1
    }}

    entry report(flight: Text, day: Date, delay: Duration) by oracle {{
        for id, p in policies {{
            if p.flight == flight and p.day == day and not p.paid and delay >= threshold {{
                require balance >= payout, "insurance pool exhausted"
                pay payout to p.holder
                policies[id].paid = true
                emit Paid(id, payout)
            }}
        }}
    }}

    entry receive(source: Text) by cam pays any {{
        require received > 0 EUR, "empty receipt"
        waterfall receipts(received) {{
            fee      1% to cam up to fee_cap
            fee      15% to agent
            recoup   agent up to 60_000 EUR
            fee      5% to producer up to 40_000 EUR
            recoup   pari_passu {{ financier: equity * 120%, producer: 50_000 EUR }}
            split    {{ producer: 50, financier: 50 }}
        }}
        history.append(received)
        total += received
        emit Received(source, received)
    }}

    entry settle(index: Int) by anyone pays any {{
        require index >= 0 and index < len(invoices), "no such invoice"
        let invoice = invoices[index]
        require not invoice.settled, "already settled"
        require received == invoice.amount, "pay the exact amount"
        invoices[index].settled = true
        split received {{ financier: 3, producer: 1 }}
    }}

    entry close() by cam {{
        status = Status.Closed
    }}
}}

scenario "deal {n} plays out" {{
    fund cam 1_000_000 EUR
    fund alice 20 EUR
    deploy d = Deal{n}(equity: 500_000 EUR, oracle: [meteo], auditors: [producer]) by cam
    call d.buy("AF{n}", 2026-12-01) by alice paying 20 EUR
    call d.receive("MG France") by cam paying 400_000 EUR
    wait 30d
    expect d.count == 1
    expect fails call d.report("AF{n}", 2026-12-01, 3h) by alice
}}

'''


def generate(lines: int = TARGET_LINES) -> str:
    chunks, total, n = [], 0, 0
    while total < lines:
        chunk = contract_source(n)
        chunks.append(chunk)
        total += chunk.count("\n")
        n += 1
    return "".join(chunks)


# ---------------------------------------------------------------- measuring


def best_and_median(action, runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def cold_median(command: list[str], runs: int = COLD_RUNS) -> float:
    subprocess.run(command, capture_output=True)  # warm the OS file cache and Lark's grammar cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def tabellion_command() -> list[str]:
    script = Path(sys.executable).with_name("tabellion")
    if script.exists():
        return [str(script)]
    found = shutil.which("tabellion")
    return [found] if found else [sys.executable, "-m", "tabellion.runtime.cli"]


def main(argv=None) -> None:
    import argparse

    import lark

    from tabellion.lang import compile_source
    from tabellion.lang.errors import CompileError

    parser = argparse.ArgumentParser(description="front-end throughput and cold start")
    parser.add_argument("--lines", type=int, default=TARGET_LINES)
    parser.add_argument("--cold-runs", type=int, default=COLD_RUNS)
    options = parser.parse_args(argv)
    source = generate(options.lines)
    line_count = source.count("\n")
    grammar = (ROOT / "lang" / "grammar.lark").read_text("utf-8")
    plain = lark.Lark(grammar, parser="lalr")

    print(f"Front end, {line_count:,} generated lines ({len(source) / 1024:.0f} KiB), best and median of {RUNS} runs")
    lark_best, lark_median = best_and_median(lambda: plain.parse(source))

    outcome = "checks cleanly"
    try:
        compile_source(source, "bench.sc")
    except CompileError as error:
        first = error.diagnostics[0]
        outcome = f"{len(error.diagnostics)} diagnostics, first: {first.headline()}"

    def ours():
        try:
            compile_source(source, "bench.sc")
        except CompileError:
            pass

    ours_best, ours_median = best_and_median(ours)
    print(f"  the generated file: {outcome}")
    print(f"  Lark LALR parse to a tree     {line_count / lark_best:>10,.0f} lines/s   ({lark_best * 1000:7.1f} ms best, {lark_median * 1000:7.1f} ms median)")
    print(f"  tabellion parse + check       {line_count / ours_best:>10,.0f} lines/s   ({ours_best * 1000:7.1f} ms best, {ours_median * 1000:7.1f} ms median)")
    print(f"  ratio (ours / Lark, best)     {ours_best / lark_best:>10.2f}x          (target: at most 2x)")

    examples = sorted((ROOT / "examples").glob("*.sc"), key=lambda p: (p.stat().st_size, p.name))
    print()
    if not examples:
        print("Cold start: no examples/*.sc to check; skipped")
        return
    smallest = examples[0]
    command = tabellion_command() + ["check", str(smallest)]
    baseline = cold_median([sys.executable, "-c", "pass"], options.cold_runs)
    check = cold_median(command, options.cold_runs)
    print(f"Cold start, median of {options.cold_runs} processes")
    print(f"  python -c pass                {baseline * 1000:7.1f} ms")
    print(f"  tabellion check {smallest.relative_to(ROOT)}  {check * 1000:7.1f} ms   (target: at most 250 ms)")
    print(f"  difference                    {(check - baseline) * 1000:7.1f} ms")


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
