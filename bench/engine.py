"""Engine benchmark: generated contract code against plain Python doing the same work.

Run: python bench/engine.py. Prints, each measured in this run:
  (a) a loop summing i*i over 100,000 iterations in one entry, as a ratio to plain
      Python (target <= 2.5x);
  (b) 10,000 token-transfer calls through the full transaction path (permission
      check, gas, journal, invariant, receipt), in calls/s (target >= 50,000/s), and
      as a ratio to a plain Python dict transfer;
  (c) a 10-tier waterfall fed 1,000 receipts, in receipts/s.
"""

from __future__ import annotations

import statistics
import time

from tabellion.lang import compile_source
from tabellion.runtime.compiler import compile_module
from tabellion.runtime.engine import Engine
from tabellion.runtime.numeric import Money
from tabellion.runtime.values import Party

SOURCE = """
contract Loop {
    entry run(n: Int) by anyone -> Int {
        let total = 0
        for i in range(0, n) {
            total += i * i
        }
        return total
    }
}

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

contract Film {
    role cam
    party p1  party p2  party p3  party p4  party p5
    party p6  party p7  party p8  party p9  party p10
    entry receive() by cam pays any {
        waterfall receipts(received) {
            fee 1% to p1 up to 10_000 EUR
            fee 10% to p2
            recoup p3 up to 100_000 EUR
            fee 3% to p4 up to 50_000 EUR
            recoup p5 up to 200_000 EUR
            recoup pari_passu { p6: 300_000 EUR, p7: 150_000 EUR }
            fee 5% to p8 up to 80_000 EUR
            recoup p9 up to 100_000 EUR
            fee 2% to p10
            split { p1: 50, p6: 30, p7: 20 }
        }
    }
}
"""

N = 100_000
CALLS = 10_000
RECEIPTS = 1_000


def best_of(function, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def plain_loop():
    total = 0
    for i in range(N):
        total += i * i
    return total


def main(argv=None) -> None:
    import argparse

    global N, CALLS, RECEIPTS
    parser = argparse.ArgumentParser(description="engine against plain Python")
    parser.add_argument("--iterations", type=int, default=N)
    parser.add_argument("--calls", type=int, default=CALLS)
    parser.add_argument("--receipts", type=int, default=RECEIPTS)
    options = parser.parse_args(argv)
    N, CALLS, RECEIPTS = options.iterations, options.calls, options.receipts
    checked = compile_source(SOURCE, "bench.sc")
    compiled = compile_module(checked)
    engine = Engine()
    anyone = Party("bench")

    # (a) the loop, called directly through the entry function with a fresh meter, and through a transaction
    loop = engine.deploy(compiled["Loop"], {}, anyone).address
    receipt = engine.call(loop, "run", (N,), anyone, gas_limit=10**12)
    assert receipt.ok and receipt.value == plain_loop(), receipt
    plain, _ = best_of(plain_loop)
    ours, _ = best_of(lambda: engine.call(loop, "run", (N,), anyone, gas_limit=10**12))
    print(f"(a) sum of i*i, {N:_} iterations: plain Python {plain * 1e3:.2f} ms, "
          f"Tabellion {ours * 1e3:.2f} ms, ratio {ours / plain:.2f}x (target <= 2.5x); "
          f"gas {receipt.gas_used:_}")

    # (b) token transfers through the full transaction path
    token = engine.deploy(compiled["Token"], {}, anyone).address
    alice, bob = Party("alice"), Party("bob")
    assert engine.call(token, "mint", (alice, 10**9), anyone).ok

    def transfers():
        call = engine.call
        for _ in range(CALLS):
            call(token, "transfer", (bob, 1), alice)

    def plain_transfers():
        balances = {alice: 10**9}
        for _ in range(CALLS):
            held = balances.get(alice, 0)
            if held < 1:
                raise ValueError
            balances[alice] = held - 1
            balances[bob] = balances.get(bob, 0) + 1

    ours, _ = best_of(transfers, 3)
    plain, _ = best_of(plain_transfers, 3)
    rate = CALLS / ours
    print(f"(b) token transfer, {CALLS:_} calls: {rate:,.0f} calls/s (target >= 50,000/s; titanoboa ~2,000/s); "
          f"plain Python dict {CALLS / plain:,.0f}/s, ratio {ours / plain:.1f}x")

    # (c) a 10-tier waterfall fed 1,000 receipts
    cam = Party("cam")
    engine.state.issue(cam, Money(10**15, "EUR"))
    engine.state.commit()
    film = engine.deploy(compiled["Film"], {"cam": [cam]}, cam).address

    def receipts():
        for i in range(RECEIPTS):
            receipt = engine.call(film, "receive", (), cam, Money(1_000_00 + i * 37, "EUR"))
            if not receipt.ok:
                raise AssertionError(receipt)

    ours, _ = best_of(receipts, 1)
    print(f"(c) 10-tier waterfall, {RECEIPTS:_} receipts: {RECEIPTS / ours:,.0f} receipts/s "
          f"({ours / RECEIPTS * 1e6:.0f} us per receipt, all tiers, payments and progress)")


if __name__ == "__main__":
    main()
