// insurance: parametric covers paid on an index reported by an oracle, with no
// claim form and no loss adjuster.
//
// ---------------------------------------------------------------------------------
// FlightDelayCover: flight-delay and cancellation cover for travellers.
//
// Parties
//   insurer (role)   underwrites the pool: funds it at deploy and by top-ups, and may
//                    withdraw what is left once the book has run off.
//   oracle (role)    a flight-data provider (the airport's or a data vendor's feed)
//                    that reports each flight's arrival delay, or its cancellation.
//   travellers       anyone buys cover for a flight on a day, for 1 to
//                    `max_passengers` passengers, with or without cancellation cover.
//
// The indemnity is per passenger, by tier of arrival delay: `tiers` lists
// Tier(delay, indemnity) in ascending delays, and a delay pays the indemnity of the
// highest tier it reaches. A cancelled flight pays `cancellation_indemnity` per
// passenger, but only to policies that bought the cancellation option. A policy's
// indemnity is capped at `policy_cap`. The policyholder claims within
// `claim_window` of the flight day; a policy is paid at most once.
//
// Decisions
//   - Thresholds are inclusive: a delay of exactly a tier's delay pays that tier;
//     one minute less pays the tier below (or nothing below the first tier).
//   - Cancellation is not a delay: without the option, a cancelled flight pays
//     nothing, however long the wait for the next flight.
//   - The claim window is inclusive and counted in days from the flight day: a claim
//     on day + `claim_window` passes, one on the day after fails.
//   - Premiums are exact (premium, plus the option's premium, times passengers):
//     a call paying any other amount is refused. Cover is sold until the day before
//     the flight.
//   - A flight is reported once; the report is final (no correction entry: a
//     corrected feed is a dispute for the courts, not for the contract).
//   - When the pool cannot pay a claim in full, it pays what it holds and queues
//     the rest. Queued claims are settled first-in-first-out (in the order they were
//     claimed) from the insurer's top-ups, each paid in full before the next is
//     touched, partly if the top-up runs out. A claim made while others are queued
//     joins the queue whole. While claims are queued no new cover is sold.
//   - The insurer withdraws only when nothing is queued and every claim window of
//     every policy sold has closed (the book has run off).
//   - No rounding: indemnities and premiums are whole multiples of per-passenger
//     amounts; `min` with the cap and with the pool never divides.
//   - Who bought cover for which flight is personal data: `policies` is visible to
//     the insurer only (flight reports and the pool's counters are public).
//
// Invariants (the counters are kept in state):
//   pool + claims paid + withdrawals == premiums + contributions (capital, top-ups)
//   queued amounts are owed only while the queue is non-empty, and the pool is
//   empty while anything is queued.
//
// ---------------------------------------------------------------------------------
// RainfallIndexCover: index-based crop cover against a dry season (drought).
//
// Parties
//   insurer (role)   funds the pool; the pool always holds every sum insured still
//                    open (a fully collateralised cover), so no claim is ever short.
//   oracle (role)    the weather index provider (a station network or a satellite
//                    rainfall estimate) that reports each region's season total, in mm.
//   farmers          anyone buys cover for a region until `sales_close`.
//
// The payout follows the classic trigger/exit scale: rainfall at or above
// `trigger_mm` pays nothing; at or below `exit_mm` pays the whole sum insured; in
// between it pays sum_insured x (trigger_mm - rainfall) / (trigger_mm - exit_mm).
//
// Decisions
//   - The premium is sum_insured x `premium_rate`, rounded down to the cent.
//   - The scaled payout is rounded down to the cent (`Money * Rate` floors): the
//     cent belongs to the pool.
//   - Exactly the trigger pays nothing; one mm less pays one step of the scale.
//   - A region is reported once, after `season_end`, and the report settles every
//     cover of that region in the same transaction, in the order they were sold.
//   - `covers` (who insured what) is visible to the insurer only.
//
// Invariants: pool >= sum insured still open; pool + claims paid + withdrawals ==
// premiums + contributions.
//
// Scenarios
//   flight 1. the tiers pay from exactly their threshold; the cap limits a family.
//   flight 2. cancellation pays only with the option; a wrong premium is refused.
//   flight 3. the claim window, one payment per policy, and the oracle's monopoly.
//   flight 4. a short pool pays what it can; top-ups settle the queue in order.
//   flight 5. the insurer withdraws only after the run-off.
//   crop   1. a dry season pays on the scale, region by region.
//   crop   2. sales close, the season must end, one report per region, full collateral.

contract FlightDelayCover {
    role insurer
    role oracle

    record Tier { delay: Duration, indemnity: Money }

    param premium: Money                      // per passenger, delay cover
    param cancellation_premium: Money         // per passenger, the cancellation option
    param tiers: List[Tier]                   // ascending delays
    param cancellation_indemnity: Money       // per passenger
    param policy_cap: Money                   // per policy
    param claim_window: Duration = 30d
    param max_passengers: Int = 9

    record Flight { code: Text, day: Date }
    record Report { delay: Duration, cancelled: Bool, at: Time }
    enum Status { Open, Queued, Paid }
    record Policy {
        holder: Party
        flight: Flight
        passengers: Int
        cancellation: Bool
        status: Status
        indemnity: Money
        paid: Money
    }

    state policies: Map[Int, Policy] visible to insurer
    state reports: Map[Flight, Report]
    state count: Int = 0
    state queue: List[Int]                    // policy ids owed a remainder, oldest first
    state head: Int = 0                       // queue[head..] is still owed
    state book_ends: Date = 2000-01-01        // the latest flight day sold

    state premiums: Money = 0 EUR
    state contributions: Money = 0 EUR        // opening capital and top-ups
    state claims_paid: Money = 0 EUR
    state claims_owed: Money = 0 EUR          // queued, not yet paid
    state withdrawn: Money = 0 EUR

    event Bought(id: Int, holder: Party, code: Text, day: Date, passengers: Int, cancellation: Bool)
    event Reported(code: Text, day: Date, delay: Duration, cancelled: Bool)
    event Claimed(id: Int, indemnity: Money, paid_now: Money, queued: Money)
    event Settled(id: Int, amount: Money, still_owed: Money)
    event ToppedUp(amount: Money)
    event Withdrawn(amount: Money)

    invariant balance + claims_paid + withdrawn == premiums + contributions, "every euro of the pool is accounted for"
    invariant (head == len(queue)) == (claims_owed == 0 EUR), "amounts are owed exactly while claims are queued"
    invariant head == len(queue) or balance == 0 EUR, "the pool is empty while claims wait"

    init {
        require len(tiers) > 0, "at least one delay tier"
        let previous = 0h
        for t in tiers {
            require t.delay > previous, "tiers must list strictly ascending delays"
            require t.indemnity > 0 EUR, "each tier must pay something"
            previous = t.delay
        }
        require policy_cap > 0 EUR, "the policy cap must be positive"
        contributions = received
    }

    fn per_passenger(r: Report, cancellation: Bool) -> Money {
        let amount = 0 EUR
        if r.cancelled {
            if cancellation {
                amount = cancellation_indemnity
            }
        } else {
            for t in tiers {
                if r.delay >= t.delay {
                    amount = t.indemnity
                }
            }
        }
        return amount
    }

    fn price(passengers: Int, cancellation: Bool) -> Money {
        if cancellation {
            return (premium + cancellation_premium) * passengers
        }
        return premium * passengers
    }

    entry buy(code: Text, day: Date, passengers: Int, cancellation: Bool) by anyone pays any -> Int {
        require head == len(queue), "claims are queued: the pool sells no new cover"
        require passengers >= 1 and passengers <= max_passengers, "between 1 and max_passengers passengers"
        require date(now) < day, "cover is sold until the day before the flight"
        require received == price(passengers, cancellation), "pay the premium exactly"
        let id = count
        policies[id] = Policy(caller, Flight(code, day), passengers, cancellation, Status.Open, 0 EUR, 0 EUR)
        premiums += received
        book_ends = max(book_ends, day)
        count += 1
        emit Bought(id, caller, code, day, passengers, cancellation)
        return id
    }

    entry report_delay(code: Text, day: Date, delay: Duration) by oracle {
        let flight = Flight(code, day)
        require not (flight in reports), "this flight has already been reported"
        require date(now) >= day, "a flight is reported on or after its day"
        require delay >= 0h, "a delay cannot be negative"
        reports[flight] = Report(delay, false, now)
        emit Reported(code, day, delay, false)
    }

    entry report_cancellation(code: Text, day: Date) by oracle {
        let flight = Flight(code, day)
        require not (flight in reports), "this flight has already been reported"
        require date(now) >= day, "a flight is reported on or after its day"
        reports[flight] = Report(0h, true, now)
        emit Reported(code, day, 0h, true)
    }

    entry claim(id: Int) by anyone {
        require id in policies, "no such policy"
        let p = policies[id]
        require caller == p.holder, "only the policyholder claims"
        require p.status == Status.Open, "this policy has already been claimed"
        require p.flight in reports, "the flight has not been reported yet"
        require date(now) <= p.flight.day + claim_window, "the claim window has closed"
        let due = min(per_passenger(reports[p.flight], p.cancellation) * p.passengers, policy_cap)
        require due > 0 EUR, "the reported event is not covered by this policy"
        let now_paid = 0 EUR
        if head == len(queue) {
            now_paid = min(due, balance)
        }
        if now_paid > 0 EUR {
            pay now_paid to p.holder
        }
        claims_paid += now_paid
        policies[id].indemnity = due
        policies[id].paid = now_paid
        if now_paid < due {
            policies[id].status = Status.Queued
            queue.append(id)
            claims_owed += due - now_paid
        } else {
            policies[id].status = Status.Paid
        }
        emit Claimed(id, due, now_paid, due - now_paid)
    }

    entry top_up() by insurer pays any {
        require received > 0 EUR, "nothing to add"
        contributions += received
        emit ToppedUp(received)
        while head < len(queue) and balance > 0 EUR {
            let id = queue[head]
            let p = policies[id]
            let part = min(p.indemnity - p.paid, balance)
            pay part to p.holder
            policies[id].paid = p.paid + part
            claims_paid += part
            claims_owed -= part
            if p.paid + part == p.indemnity {
                policies[id].status = Status.Paid
                head += 1
            }
            emit Settled(id, part, p.indemnity - p.paid - part)
        }
    }

    entry withdraw(amount: Money) by insurer {
        require head == len(queue), "claims are queued"
        require date(now) > book_ends + claim_window, "the book has not run off: claims may still come"
        require amount > 0 EUR and amount <= balance, "withdraw a positive amount the pool holds"
        pay amount to caller
        withdrawn += amount
        emit Withdrawn(amount)
    }

    scenario "tiers pay from exactly their threshold; the cap limits a family" {
        fund axa 2_000 EUR
        fund alice 12 EUR
        fund bob 12 EUR
        fund carol 36 EUR
        deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(2h, 60 EUR), Tier(4h, 150 EUR), Tier(6h, 300 EUR)],
            cancellation_indemnity: 350 EUR, policy_cap: 600 EUR,
            insurer: [axa], oracle: [flightdata]) by axa paying 2_000 EUR
        call pool.buy("AF1234", 2026-03-10, 1, false) by alice paying 12 EUR
        call pool.buy("LH1035", 2026-03-10, 1, false) by bob paying 12 EUR
        call pool.buy("BA0304", 2026-03-10, 3, false) by carol paying 36 EUR
        at 2026-03-10T23:00Z
        call pool.report_delay("AF1234", 2026-03-10, 2h) by flightdata        // exactly the first tier
        call pool.report_delay("LH1035", 2026-03-10, 1h59m) by flightdata     // one minute short
        call pool.report_delay("BA0304", 2026-03-10, 6h30m) by flightdata     // the top tier
        call pool.claim(0) by alice
        expect fails call pool.claim(1) by bob with "not covered"
        call pool.claim(2) by carol
        // alice: 1 x 60.00 = 60.00 (2h reaches the 2h tier)
        // bob:   1h59m is below 2h: nothing; his policy stays unclaimed
        // carol: 3 x 300.00 = 900.00, capped at 600.00
        // pool: 2_000.00 + 12.00 + 12.00 + 36.00 - 60.00 - 600.00 = 1_400.00
        expect balance(alice) == 60 EUR
        expect balance(bob) == 0 EUR
        expect balance(carol) == 600 EUR
        expect pool.policies[1].status == Status.Open
        expect balance(pool) == 1_400 EUR
        expect pool.claims_paid == 660 EUR
        expect pool.premiums == 60 EUR
    }

    scenario "cancellation pays only with the option" {
        fund axa 1_000 EUR
        fund erin 40 EUR
        fund frank 24 EUR
        deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(2h, 60 EUR), Tier(4h, 150 EUR)],
            cancellation_indemnity: 350 EUR, policy_cap: 600 EUR,
            insurer: [axa], oracle: [flightdata]) by axa paying 1_000 EUR
        expect fails call pool.buy("KL1228", 2026-04-02, 1, true) by erin paying 12 EUR with "exactly"
        expect balance(erin) == 40 EUR
        call pool.buy("KL1228", 2026-04-02, 2, true) by erin paying 40 EUR   // (12 + 8) x 2
        call pool.buy("KL1228", 2026-04-02, 1, false) by frank paying 12 EUR
        expect fails call pool.buy("KL1228", 2026-04-02, 10, false) by frank paying 120 EUR   // 9 at most
        at 2026-04-02T18:00Z
        expect fails call pool.buy("KL1228", 2026-04-02, 1, false) by frank paying 12 EUR with "day before"
        call pool.report_cancellation("KL1228", 2026-04-02) by flightdata
        call pool.claim(0) by erin                                      // 2 x 350.00 = 700.00, capped at 600.00
        expect fails call pool.claim(1) by frank with "not covered"    // no option, no cancellation cover
        expect balance(erin) == 600 EUR
        expect balance(frank) == 12 EUR                            // 24 - 12: the late purchase was refused
        expect balance(pool) == 452 EUR                                  // 1_000 + 40 + 12 - 600
    }

    scenario "the claim window, one payment per policy, and the oracle's monopoly" {
        fund axa 1_000 EUR
        fund alice 12 EUR
        fund bob 12 EUR
        deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(2h, 60 EUR), Tier(4h, 150 EUR)],
            cancellation_indemnity: 350 EUR, policy_cap: 600 EUR, claim_window: 30d,
            insurer: [axa], oracle: [flightdata]) by axa paying 1_000 EUR
        call pool.buy("IB3402", 2026-05-20, 1, false) by alice paying 12 EUR
        call pool.buy("IB3402", 2026-05-20, 1, false) by bob paying 12 EUR
        expect fails call pool.claim(0) by alice with "not been reported"
        at 2026-05-19T12:00Z
        expect fails call pool.report_delay("IB3402", 2026-05-20, 5h) by flightdata with "on or after"
        at 2026-05-20T22:00Z
        expect fails call pool.report_delay("IB3402", 2026-05-20, 9h) by alice with "permission denied"
        call pool.report_delay("IB3402", 2026-05-20, 4h10m) by flightdata
        expect fails call pool.report_delay("IB3402", 2026-05-20, 9h) by flightdata with "already been reported"
        expect pool.reports[Flight("IB3402", 2026-05-20)].delay == 4h10m
        expect fails call pool.claim(0) by bob with "only the policyholder"
        at 2026-06-19T23:59Z                                   // day + 30d, the last day of the window
        call pool.claim(0) by alice
        expect fails call pool.claim(0) by alice with "already been claimed"
        at 2026-06-20T00:00Z
        expect fails call pool.claim(1) by bob with "window has closed"
        expect fails call pool.claim(7) by bob with "no such policy"
        expect balance(alice) == 150 EUR
        expect balance(bob) == 0 EUR
        expect pool.policies[1].status == Status.Open               // unchanged by the refused claims
        expect balance(pool) == 874 EUR                              // 1_000 + 24 - 150
    }

    scenario "a short pool pays what it can; top-ups settle the queue in order" {
        fund axa 700 EUR
        fund alice 12 EUR
        fund bob 24 EUR
        fund carol 12 EUR
        fund dan 12 EUR
        fund mallory 10 EUR
        deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(2h, 60 EUR), Tier(4h, 150 EUR)],
            cancellation_indemnity: 350 EUR, policy_cap: 600 EUR,
            insurer: [axa], oracle: [flightdata]) by axa paying 100 EUR
        call pool.buy("U24521", 2026-07-14, 1, false) by alice paying 12 EUR
        call pool.buy("U24521", 2026-07-14, 2, false) by bob paying 24 EUR
        call pool.buy("U24521", 2026-07-14, 1, false) by carol paying 12 EUR
        at 2026-07-15T01:00Z
        call pool.report_delay("U24521", 2026-07-14, 4h) by flightdata
        // pool: 100.00 + 12.00 + 24.00 + 12.00 = 148.00; owed: 150.00 / 300.00 / 150.00
        call pool.claim(1) by bob        // 300.00 due: 148.00 paid now, 152.00 queued
        call pool.claim(0) by alice      // 150.00 due, the pool is empty: all queued
        call pool.claim(2) by carol      // 150.00 queued
        expect balance(bob) == 148 EUR
        expect balance(pool) == 0 EUR
        expect pool.claims_owed == 452 EUR          // 152.00 + 150.00 + 150.00
        expect fails call pool.buy("U24521", 2026-08-01, 1, false) by dan paying 12 EUR with "queued"
        expect balance(dan) == 12 EUR
        expect fails call pool.top_up() by mallory paying 10 EUR with "permission denied"
        call pool.top_up() by axa paying 200 EUR
        // 200.00: bob's 152.00 first (now paid in full), then 48.00 of alice's 150.00
        expect balance(bob) == 300 EUR
        expect balance(alice) == 48 EUR
        expect balance(carol) == 0 EUR
        expect pool.policies[0].status == Status.Queued
        call pool.top_up() by axa paying 300 EUR
        // 300.00: alice's last 102.00, carol's 150.00; 48.00 stay in the pool
        expect balance(alice) == 150 EUR
        expect balance(carol) == 150 EUR
        expect balance(pool) == 48 EUR
        expect pool.claims_owed == 0 EUR
        expect pool.claims_paid == 600 EUR          // 148.00 + 200.00 + 252.00
        expect pool.contributions == 600 EUR        // 100.00 + 200.00 + 300.00
        call pool.buy("U24521", 2026-08-01, 1, false) by dan paying 12 EUR   // the queue is clear
    }

    scenario "the insurer withdraws only after the run-off" {
        fund axa 1_000 EUR
        fund alice 12 EUR
        deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(2h, 60 EUR)], cancellation_indemnity: 350 EUR, policy_cap: 600 EUR,
            claim_window: 10d, insurer: [axa], oracle: [flightdata]) by axa paying 1_000 EUR
        call pool.buy("SN3582", 2026-02-01, 1, false) by alice paying 12 EUR
        at 2026-02-11T12:00Z                  // day + 10d: alice may still claim
        expect fails call pool.withdraw(100 EUR) by axa with "run off"
        at 2026-02-12T00:00Z
        expect fails call pool.withdraw(100 EUR) by alice with "permission denied"
        expect fails call pool.withdraw(1_012.01 EUR) by axa
        call pool.withdraw(1_012 EUR) by axa       // the capital and alice's earned premium
        expect balance(axa) == 1_012 EUR
        expect pool.withdrawn == 1_012 EUR
        expect fails deploy pool = FlightDelayCover(premium: 12 EUR, cancellation_premium: 8 EUR,
            tiers: [Tier(4h, 150 EUR), Tier(2h, 60 EUR)], cancellation_indemnity: 350 EUR,
            policy_cap: 600 EUR, insurer: [axa], oracle: [flightdata]) by axa
    }
}

contract RainfallIndexCover {
    role insurer
    role oracle

    param season: Text
    param sales_close: Date
    param season_end: Date
    param trigger_mm: Int
    param exit_mm: Int
    param premium_rate: Rate

    record Cover { farmer: Party, region: Text, sum_insured: Money, premium: Money, payout: Money, settled: Bool }

    state covers: Map[Int, Cover] visible to insurer
    state rainfall: Map[Text, Int]            // region -> season total (mm), once reported
    state count: Int = 0
    state exposure: Money = 0 EUR             // sums insured not yet settled

    state premiums: Money = 0 EUR
    state contributions: Money = 0 EUR
    state claims_paid: Money = 0 EUR
    state withdrawn: Money = 0 EUR

    event Bought(id: Int, farmer: Party, region: Text, sum_insured: Money, premium: Money)
    event Reported(region: Text, rainfall_mm: Int)
    event Paid(id: Int, farmer: Party, amount: Money)

    invariant balance >= exposure, "every open sum insured is collateralised"
    invariant balance + claims_paid + withdrawn == premiums + contributions, "every euro of the pool is accounted for"

    init {
        require exit_mm >= 0 and exit_mm < trigger_mm, "the exit lies below the trigger"
        require sales_close < season_end, "sales close before the season ends"
        contributions = received
    }

    fn payout(sum_insured: Money, mm: Int) -> Money {
        if mm >= trigger_mm {
            return 0 EUR
        }
        if mm <= exit_mm {
            return sum_insured
        }
        return sum_insured * ratio(trigger_mm - mm, trigger_mm - exit_mm)
    }

    entry buy(region: Text, sum_insured: Money) by anyone pays any -> Int {
        require date(now) <= sales_close, "sales are closed for this season"
        require sum_insured > 0 EUR, "the sum insured must be positive"
        require received == sum_insured * premium_rate, "pay the premium exactly"
        require balance >= exposure + sum_insured, "the pool cannot collateralise this cover"
        let id = count
        covers[id] = Cover(caller, region, sum_insured, received, 0 EUR, false)
        exposure += sum_insured
        premiums += received
        count += 1
        emit Bought(id, caller, region, sum_insured, received)
        return id
    }

    entry report(region: Text, mm: Int) by oracle {
        require date(now) > season_end, "the season has not ended"
        require not (region in rainfall), "this region has already been reported"
        require mm >= 0, "rainfall cannot be negative"
        rainfall[region] = mm
        emit Reported(region, mm)
        for id, c in covers {
            if c.region == region and not c.settled {
                let amount = payout(c.sum_insured, mm)
                if amount > 0 EUR {
                    pay amount to c.farmer
                    emit Paid(id, c.farmer, amount)
                }
                covers[id].payout = amount
                covers[id].settled = true
                claims_paid += amount
                exposure -= c.sum_insured
            }
        }
    }

    entry top_up() by insurer pays any {
        require received > 0 EUR, "nothing to add"
        contributions += received
    }

    entry withdraw(amount: Money) by insurer {
        require amount > 0 EUR, "withdraw a positive amount"
        require amount <= balance - exposure, "the pool must keep every open sum insured"
        pay amount to caller
        withdrawn += amount
    }

    scenario "a dry season pays on the scale, region by region" {
        fund reinsurer 10_000 EUR
        fund wanjiru 100 EUR
        fund otieno 100 EUR
        fund mutua 100 EUR
        fund akinyi 100 EUR
        deploy pool = RainfallIndexCover(season: "Long rains 2026", sales_close: 2026-03-15, season_end: 2026-06-30,
            trigger_mm: 300, exit_mm: 150, premium_rate: 7.5%, insurer: [reinsurer], oracle: [chirps])
            by reinsurer paying 10_000 EUR
        call pool.buy("Machakos", 1_250.50 EUR) by wanjiru paying 93.78 EUR   // 1_250.50 x 7.5% = 93.7875 -> 93.78
        call pool.buy("Kitui", 800 EUR) by otieno paying 60 EUR
        call pool.buy("Makueni", 1_000 EUR) by mutua paying 75 EUR
        call pool.buy("Makueni", 1_000 EUR) by akinyi paying 75 EUR
        expect pool.exposure == 4_050.50 EUR
        at 2026-07-01T06:00Z
        call pool.report("Machakos", 210) by chirps
        // (300 - 210) / (300 - 150) = 90 / 150 = 60%: 1_250.50 x 60% = 750.30 exactly
        call pool.report("Kitui", 120) by chirps
        // 120 mm is below the 150 mm exit: the whole 800.00
        call pool.report("Makueni", 299) by chirps
        // one mm below the trigger: 1_000.00 x 1 / 150 = 6.666... -> 6.66 each
        expect balance(wanjiru) == 756.52 EUR   // 100.00 - 93.78 + 750.30
        expect balance(otieno) == 840 EUR       // 100.00 - 60.00 + 800.00
        expect balance(mutua) == 31.66 EUR      // 100.00 - 75.00 + 6.66
        expect balance(akinyi) == 31.66 EUR
        expect pool.exposure == 0 EUR
        expect pool.claims_paid == 1_563.62 EUR      // 750.30 + 800.00 + 6.66 + 6.66
        // pool: 10_000.00 + 303.78 premiums - 1_563.62 = 8_740.16
        expect balance(pool) == 8_740.16 EUR
    }

    scenario "sales close, the season must end, one report per region, full collateral" {
        fund reinsurer 1_000 EUR
        fund wanjiru 200 EUR
        fund mutua 200 EUR
        deploy pool = RainfallIndexCover(season: "Short rains 2026", sales_close: 2026-02-28, season_end: 2026-05-31,
            trigger_mm: 250, exit_mm: 100, premium_rate: 10%, insurer: [reinsurer], oracle: [chirps])
            by reinsurer paying 1_000 EUR
        call pool.buy("Machakos", 900 EUR) by wanjiru paying 90 EUR
        // pool 1_090.00 against 900.00 open: 1_100.00 more cannot be collateralised
        expect fails call pool.buy("Kitui", 1_100 EUR) by mutua paying 110 EUR with "collateralise"
        expect fails call pool.buy("Kitui", 100 EUR) by mutua paying 9.99 EUR with "exactly"
        expect fails call pool.withdraw(190.01 EUR) by reinsurer with "open sum insured"
        call pool.withdraw(190 EUR) by reinsurer
        at 2026-03-01T00:00Z
        expect fails call pool.buy("Kitui", 100 EUR) by mutua paying 10 EUR with "closed"
        expect balance(mutua) == 200 EUR
        at 2026-05-31T23:00Z
        expect fails call pool.report("Machakos", 80) by chirps with "not ended"
        at 2026-06-01T00:00Z
        expect fails call pool.report("Machakos", 80) by wanjiru with "permission denied"
        call pool.report("Machakos", 250) by chirps                 // exactly the trigger: nothing
        expect fails call pool.report("Machakos", 80) by chirps with "already"
        expect balance(wanjiru) == 110 EUR                    // 200.00 - 90.00
        expect pool.covers[0].settled
        expect pool.exposure == 0 EUR
        call pool.withdraw(900 EUR) by reinsurer
        expect balance(reinsurer) == 1_090 EUR                // 190.00 + 900.00
    }
}
