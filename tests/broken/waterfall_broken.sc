// BROKEN ON PURPOSE (tests/properties/test_testing_broken.py): a two-tier film
// waterfall written with explicit arithmetic instead of the `waterfall` statement.
//
// Tier 1: the investor recoups up to `cap`. Tier 2: the producer takes 50% of
// what passes tier 1; the other half stays in the account for the back end.
//
// The bug: when a receipt straddles the two tiers, the producer's half is taken
// of the whole receipt instead of what is left after the investor's slice, so the
// producer is also paid half of the slice that recouped the investor. The
// invariant says the producer never has more than half of what passed tier 1.
//
// Counterexample expected: a receipt of about twice what the investor is still
// owed, enough for the account to pay the slice twice (at most 3 steps after the
// deploy, funding included).

contract TwoTiers {
    party cam
    party investor
    party producer

    param cap: Money

    state received_total: Money = 0 EUR
    state recouped: Money = 0 EUR
    state producer_paid: Money = 0 EUR

    invariant recouped <= cap
    invariant producer_paid <= (received_total - recouped) * 50%

    entry receive() by cam pays any {
        require received > 0 EUR, "empty receipt"
        let owed = cap - recouped
        received_total += received
        if received <= owed {
            pay received to investor
            recouped += received
        } else {
            pay owed to investor
            recouped += owed
            let share = received * 50%          // BUG: should be (received - owed) * 50%
            pay share to producer
            producer_paid += share
        }
    }
}

scenario "receipts below the cap recoup the investor" {
    fund cam 100_000 EUR
    deploy w = TwoTiers(cap: 50_000 EUR, cam: cam, investor: bank, producer: studio) by cam
    call w.receive() by cam paying 20_000 EUR
    call w.receive() by cam paying 30_000 EUR
    expect balance(bank) == 50_000 EUR
    expect w.recouped == 50_000 EUR
}
