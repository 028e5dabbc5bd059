// The correct version of waterfall_broken.sc (tests/properties/test_testing_broken.py):
// a two-tier film waterfall written with explicit arithmetic.
//
// Tier 1: the investor recoups up to `cap`. Tier 2: the producer takes 50% of
// what passes tier 1; the other half stays in the account for the back end.
// A receipt that straddles the tiers pays the investor what it is still owed and
// the producer half of the rest, so nothing is paid twice.

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
            let share = (received - owed) * 50%
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

scenario "a receipt straddles the tiers" {
    fund cam 100_000 EUR
    deploy w = TwoTiers(cap: 50_000 EUR, cam: cam, investor: bank, producer: studio) by cam
    call w.receive() by cam paying 40_000 EUR
    call w.receive() by cam paying 30_000 EUR    // 10_000 recoups, 20_000 pass: 10_000 to the producer
    expect balance(bank) == 50_000 EUR
    expect balance(studio) == 10_000 EUR
    expect w.producer_paid == 10_000 EUR
}
