// Flight-delay insurance: a parametric policy that pays a fixed sum when a flight
// arrives late, with no claim form and no loss adjuster.
//
// Parties
//   insurer (role)  underwrites the pool: funds it at deploy, keeps the premiums,
//                   and may withdraw any surplus above the cover it still owes.
//   oracle (role)   a flight-data provider that reports each flight's arrival delay.
//   travellers      anyone may buy cover for a flight on a given day by paying the
//                   premium, exactly.
//
// The trigger is parametric: a reported delay of at least `threshold` (2h by
// default) pays `payout` to every open policy on that flight and day; a shorter
// delay ends the cover with nothing to pay. A policy pays at most once. The pool
// never sells more cover than it can pay: `exposure` is the sum of the payouts it
// may still owe, and the invariant keeps the balance at or above it.
//
// Scenarios
//   1. one delayed and one punctual flight: the delayed traveller is paid, a wrong
//      premium is refused, and the insurer takes back the surplus.
//   2. a thinly capitalised pool: a second sale is refused, the insurer cannot
//      withdraw below the exposure, only the oracle reports and only the insurer
//      withdraws.

contract FlightDelay {
    role insurer
    role oracle

    param premium: Money
    param payout: Money
    param threshold: Duration = 2h

    enum Cover { Open, PaidOut, Expired }
    record Policy { holder: Party, flight: Text, day: Date, cover: Cover }

    state policies: Map[Int, Policy] visible to insurer
    state count: Int = 0
    state exposure: Money = 0 EUR

    event Bought(id: Int, holder: Party, flight: Text, day: Date)
    event Paid(id: Int, holder: Party, amount: Money)
    event Closed(id: Int)
    event Withdrawn(amount: Money)

    invariant balance >= exposure

    entry buy(flight: Text, day: Date) by anyone pays premium {
        require balance >= exposure + payout, "pool cannot cover another policy"
        policies[count] = Policy(holder: caller, flight: flight, day: day, cover: Cover.Open)
        exposure += payout
        emit Bought(count, caller, flight, day)
        count += 1
    }

    entry report(flight: Text, day: Date, delay: Duration) by oracle {
        for id, p in policies {
            if p.flight == flight and p.day == day and p.cover == Cover.Open {
                exposure -= payout
                if delay >= threshold {
                    pay payout to p.holder
                    policies[id].cover = Cover.PaidOut
                    emit Paid(id, p.holder, payout)
                } else {
                    policies[id].cover = Cover.Expired
                    emit Closed(id)
                }
            }
        }
    }

    entry withdraw(amount: Money) by insurer {
        require amount > 0 EUR, "nothing to withdraw"
        require amount <= balance - exposure, "the pool must keep cover for open policies"
        pay amount to caller
        emit Withdrawn(amount)
    }

    scenario "a delayed flight pays out, a punctual one does not" {
        fund axa 1_000 EUR
        fund alice 25 EUR
        fund bob 25 EUR
        fund carol 20 EUR
        deploy FlightDelay(premium: 25 EUR, payout: 250 EUR, insurer: [axa], oracle: [flightdata]) by axa paying 1_000 EUR
        call buy("AF1234", 2026-12-01) by alice paying 25 EUR
        call buy("LH1035", 2026-12-01) by bob paying 25 EUR
        expect fails call buy("LH1035", 2026-12-01) by carol paying 20 EUR   // the premium is 25 EUR
        expect count == 2
        expect exposure == 500 EUR
        at 2026-12-01T23:00Z
        call report("AF1234", 2026-12-01, 3h) by flightdata     // 3h >= 2h: alice is paid
        call report("LH1035", 2026-12-01, 45m) by flightdata    // 45m < 2h: bob's cover ends
        call report("AF1234", 2026-12-01, 3h) by flightdata     // a repeated report pays nothing
        expect balance(alice) == 250 EUR    // 25 - 25 premium + 250 payout
        expect balance(bob) == 0 EUR        // 25 - 25 premium
        expect balance(carol) == 20 EUR     // her failed call was reverted
        expect exposure == 0 EUR
        // pool: 1_000 capital + 2 x 25 premiums - 250 payout = 800 EUR, all of it surplus
        expect fails call withdraw(800.01 EUR) by axa
        call withdraw(800 EUR) by axa
        expect balance(axa) == 800 EUR      // 1_000 - 1_000 capital + 800 withdrawn
    }

    scenario "cover is capped by the pool, and only the oracle reports" {
        fund axa 300 EUR
        fund alice 25 EUR
        fund bob 25 EUR
        deploy FlightDelay(premium: 25 EUR, payout: 250 EUR, insurer: [axa], oracle: [flightdata]) by axa paying 300 EUR
        call buy("AF1234", 2026-12-01) by alice paying 25 EUR
        // pool 300 + 25 = 325 EUR against 250 EUR owed: a second policy needs 500 EUR
        expect fails call buy("AF1234", 2026-12-01) by bob paying 25 EUR
        expect balance(bob) == 25 EUR
        expect fails call report("AF1234", 2026-12-01, 3h) by alice   // alice is not the oracle
        expect fails call withdraw(10 EUR) by alice                   // alice is not the insurer
        expect fails call withdraw(100 EUR) by axa    // would leave 225 EUR for 250 EUR owed
        call withdraw(75 EUR) by axa                  // leaves exactly the 250 EUR owed
        at 2026-12-02T06:00Z
        call report("AF1234", 2026-12-01, 1h) by flightdata   // 1h < 2h: the cover ends unpaid
        expect exposure == 0 EUR
        call withdraw(250 EUR) by axa
        expect balance(axa) == 325 EUR      // 300 - 300 capital + 75 + 250: alice's premium is earned
        expect balance(alice) == 0 EUR
    }
}
