// BROKEN ON PURPOSE (tests/properties/test_testing_broken.py): flight-delay
// insurance whose claim forgot to require a delay confirmed by the oracle.
//
// Travellers buy cover for a flight; the oracle confirms delayed flights, which
// makes every open policy on that flight eligible (`confirmed` counts them); a
// holder then claims and is paid. The invariant: no more claims paid than
// policies confirmed eligible.
//
// The bug: `claim` pays any open policy, delayed or not (the `require` on
// `eligible` is missing), so a holder can be paid for a punctual flight.
//
// Counterexample expected: buy, then claim at once (at most 3 steps after the
// deploy, funding included).

contract DelayCover {
    role insurer
    role oracle

    param premium: Money
    param payout: Money

    record Policy { holder: Party, flight: Text, eligible: Bool, paid: Bool }

    state policies: Map[Int, Policy]
    state count: Int = 0
    state confirmed: Int = 0
    state paid: Int = 0

    invariant paid <= confirmed

    entry buy(flight: Text) by anyone pays premium {
        policies[count] = Policy(holder: caller, flight: flight, eligible: false, paid: false)
        count += 1
    }

    entry confirm_delay(flight: Text) by oracle {
        for id, p in policies {
            if p.flight == flight and not p.eligible {
                policies[id].eligible = true
                confirmed += 1
            }
        }
    }

    entry claim(id: Int) by anyone {
        require id in policies, "no such policy"
        let p = policies[id]
        require p.holder == caller, "only the holder claims"
        require not p.paid, "already paid"
        require balance >= payout, "pool exhausted"
        // BUG: missing `require p.eligible, "no confirmed delay"`
        pay payout to caller
        policies[id].paid = true
        paid += 1
    }
}

scenario "a confirmed delay pays the holder" {
    fund axa 1_000 EUR
    fund alice 20 EUR
    deploy DelayCover(premium: 20 EUR, payout: 200 EUR, insurer: [axa], oracle: [meteo]) by axa paying 1_000 EUR
    call buy("AF123") by alice paying 20 EUR
    call confirm_delay("AF123") by meteo
    call claim(0) by alice
    expect balance(alice) == 200 EUR
    expect fails call claim(0) by alice
}
