// waterfall: a film's collection account, paying every stakeholder in the order
// of the collection account management agreement (CAMA), with a statement of
// what each party received, tier by tier.
//
// Parties
//   cam           the collection account manager (Fintage, Freeway, ...): every
//                 revenue of the film reaches its account, and only it records
//                 receipts here. Fee: `cam_fee_rate` of each receipt, capped in total.
//   sales_agent   sells the film territory by territory: `commission_rate` of what
//                 reaches it, then recoups its marketing and delivery expenses up to
//                 the approved amount (`approved_expenses`, which the producer may
//                 raise later, never lower).
//   distributor   the domestic distributor: `distribution_fee_rate`, then recoups its
//                 P&A (prints and advertising) spend, then its minimum guarantee (MG).
//   investors     the equity investors (`equity`: party -> amount invested): recoup
//                 their investment plus `premium` (120% for 20%), pari passu.
//   deferees      the deferments (`deferments`: party -> deferred fee: director,
//                 lead cast), paid pari passu once the equity is recouped.
//   producer      a corridor of `corridor_rate` up to `corridor_cap`, then
//                 `producer_share` of net profits; investors take the rest of net
//                 profits pro rata to their investment.
//
// Tiers, in order (each takes from what the tiers above left of the receipt):
//    1 CAM fee          cam_fee_rate x receipt, up to cam_fee_cap in total
//    2 commission       commission_rate x what enters
//    3 expenses         all that enters, up to approved_expenses in total
//    4 distribution fee distribution_fee_rate x what enters
//    5 P&A              all that enters, up to pa_costs in total
//    6 MG               all that enters, up to minimum_guarantee in total
//    7 equity           all that enters, pari passu, up to investment x (100% + premium)
//    8 deferments       all that enters, pari passu, up to each deferred fee
//    9 corridor         corridor_rate x what enters, up to corridor_cap in total
//   10 net profits      everything left: producer_share to the producer, the rest to
//                       the investors pro rata to their investment
//
// Decisions
//   - Every percentage is applied to what enters its tier and rounded down to the
//     cent (`Money * Rate`); the cent stays in the flow and goes down the tiers.
//   - Each investor's recoupment target is investment x (100% + premium), rounded
//     down to the cent.
//   - Pari passu tiers divide what they take pro rata to what each party is still
//     owed; net profits divide in one step among producer and investors with the
//     weights producer_share and (100% - producer_share) x investment / total
//     investment. Both by largest remainder, the rule of Tabellion's `split`:
//     shares rounded down to the cent, the cents left over one each to the largest
//     remainders, ties to the party listed first. Parties are listed in the order
//     of the maps, by ascending party name.
//   - Progress is what each tier has paid so far, read back from the statement
//     itself (`tier_totals`, `lines`): no figure is kept twice. So a raised
//     expenses cap reopens tier 3 for the next receipt, ahead of every tier below.
//   - Everything received is paid out in the same transaction (the last tier takes
//     all that is left), so the account holds nothing between receipts.
//   - This contract computes its tiers itself instead of using the `waterfall`
//     statement, because the statement pays without reporting what each tier paid,
//     and the CAMA's statements need exactly that.
//
// Invariants: the account is empty between receipts; the statements by party and
// by tier both add up to the gross receipts.
//
// Scenarios
//   1. a first receipt stops in the distributor's P&A (figures below).
//   2. four receipts run the whole waterfall down to net profits, with a raised
//      expenses cap and cents decided by largest remainder (figures below).
//   3. only the CAM records receipts, only the producer raises the expenses cap,
//      and never lowers it; refused calls change nothing.
//   4. a receipt that straddles every capped tier at once.

contract CollectionAccount {
    party cam
    party sales_agent
    party distributor
    party producer
    role auditors                              // who may read the statements besides the parties

    param title: Text
    param cam_fee_rate: Rate = 1%
    param cam_fee_cap: Money = 25_000 EUR
    param commission_rate: Rate = 15%
    param expenses_cap: Money                  // the sales agent's expenses approved at signature
    param distribution_fee_rate: Rate = 25%
    param pa_costs: Money
    param minimum_guarantee: Money
    param equity: Map[Party, Money]
    param premium: Rate = 20%
    param deferments: Map[Party, Money]
    param corridor_rate: Rate = 10%
    param corridor_cap: Money
    param producer_share: Rate = 50%

    enum Tier { CamFee, Commission, Expenses, DistributionFee, PandA, MinimumGuarantee, Equity, Deferment, Corridor, NetProfit }
    record Line { party: Party, tier: Tier }
    record Payout { party: Party, tier: Tier, amount: Money }
    record Receipt { source: Text, amount: Money, when: Time }

    state approved_expenses: Money = 0 EUR
    state gross: Money = 0 EUR
    state receipts: List[Receipt]
    state received_by: Map[Party, Money] visible to cam, producer, auditors
    state tier_totals: Map[Tier, Money]
    state lines: Map[Line, Money] visible to cam, producer, auditors

    event Received(source: Text, amount: Money)
    event Paid(party: Party, tier: Tier, amount: Money)
    event ExpensesApproved(amount: Money)

    invariant balance == 0 EUR, "everything received is paid out"
    invariant sum(received_by) == gross, "the statements by party add up to the receipts"
    invariant sum(tier_totals) == gross, "the statements by tier add up to the receipts"

    init {
        require len(equity) > 0, "at least one investor"
        require producer_share >= 0% and producer_share <= 100%, "a producer share between 0% and 100%"
        for p, amount in equity {
            require amount > 0 EUR, "each investment must be positive"
        }
        approved_expenses = expenses_cap
    }

    // -- reading progress back from the statement

    fn paid_in(tier: Tier) -> Money {
        return tier_totals.get(tier, 0 EUR)
    }

    fn paid_to(p: Party, tier: Tier) -> Money {
        return lines.get(Line(p, tier), 0 EUR)
    }

    fn capped(amount: Money, cap: Money, done: Money) -> Money {
        return max(min(amount, cap - done), 0 EUR)
    }

    // Largest remainder: shares of `amount` pro rata to `weights`, rounded down to
    // the cent, the cents left over one each to the largest remainders, ties to the
    // first listed. A zero weight gets exactly nothing.
    fn pro_rata(amount: Money, weights: List[Rate]) -> List[Money] {
        let total = sum(weights)
        let shares: List[Money] = []
        let remainders: List[Rate] = []
        let given = 0 EUR
        for w in weights {
            let share = amount * (w / total)
            shares.append(share)
            remainders.append(amount / 0.01 EUR * (w / total) - share / 0.01 EUR)
            given += share
        }
        let left = amount - given
        while left > 0 EUR {
            let pick = 0
            for i, r in remainders {
                if r > remainders[pick] {
                    pick = i
                }
            }
            shares[pick] = shares[pick] + 0.01 EUR
            remainders[pick] = -100%
            left -= 0.01 EUR
        }
        return shares
    }

    // A pari passu tier: all of `amount` it can take, pro rata to what each of
    // `targets` is still owed in `tier`.
    fn pari_passu(amount: Money, targets: Map[Party, Money], tier: Tier) -> List[Payout] {
        let out: List[Payout] = []
        let parties: List[Party] = []
        let owed: List[Money] = []
        let total = 0 EUR
        for p, target in targets {
            let still = max(target - paid_to(p, tier), 0 EUR)
            parties.append(p)
            owed.append(still)
            total += still
        }
        let take = min(amount, total)
        if take > 0 EUR {
            let weights: List[Rate] = []
            for o in owed {
                weights.append(o / total)
            }
            let shares = pro_rata(take, weights)
            for i, p in parties {
                if shares[i] > 0 EUR {
                    out.append(Payout(p, tier, shares[i]))
                }
            }
        }
        return out
    }

    fn equity_targets() -> Map[Party, Money] {
        let targets: Map[Party, Money] = {}
        for p, invested in equity {
            targets[p] = invested * (100% + premium)
        }
        return targets
    }

    // Every payment one receipt makes, tier by tier.
    fn allocate(amount: Money) -> List[Payout] {
        let out: List[Payout] = []
        let left = amount
        let take = capped(left * cam_fee_rate, cam_fee_cap, paid_in(Tier.CamFee))
        out.append(Payout(cam, Tier.CamFee, take))
        left -= take
        take = left * commission_rate
        out.append(Payout(sales_agent, Tier.Commission, take))
        left -= take
        take = capped(left, approved_expenses, paid_in(Tier.Expenses))
        out.append(Payout(sales_agent, Tier.Expenses, take))
        left -= take
        take = left * distribution_fee_rate
        out.append(Payout(distributor, Tier.DistributionFee, take))
        left -= take
        take = capped(left, pa_costs, paid_in(Tier.PandA))
        out.append(Payout(distributor, Tier.PandA, take))
        left -= take
        take = capped(left, minimum_guarantee, paid_in(Tier.MinimumGuarantee))
        out.append(Payout(distributor, Tier.MinimumGuarantee, take))
        left -= take
        for p in pari_passu(left, equity_targets(), Tier.Equity) {
            out.append(p)
            left -= p.amount
        }
        if len(deferments) > 0 {
            for p in pari_passu(left, deferments, Tier.Deferment) {
                out.append(p)
                left -= p.amount
            }
        }
        take = capped(left * corridor_rate, corridor_cap, paid_in(Tier.Corridor))
        out.append(Payout(producer, Tier.Corridor, take))
        left -= take
        if left > 0 EUR {
            let total_equity = sum(equity)
            let parties: List[Party] = [producer]
            let weights: List[Rate] = [producer_share]
            for p, invested in equity {
                parties.append(p)
                weights.append((100% - producer_share) * (invested / total_equity))
            }
            let shares = pro_rata(left, weights)
            for i, p in parties {
                out.append(Payout(p, Tier.NetProfit, shares[i]))
            }
        }
        return out
    }

    entry receive(source: Text) by cam pays any {
        require received > 0 EUR, "an empty receipt"
        for p in allocate(received) {
            if p.amount > 0 EUR {
                pay p.amount to p.party
                let line = Line(p.party, p.tier)
                lines[line] = lines.get(line, 0 EUR) + p.amount
                received_by[p.party] = received_by.get(p.party, 0 EUR) + p.amount
                tier_totals[p.tier] = paid_in(p.tier) + p.amount
                emit Paid(p.party, p.tier, p.amount)
            }
        }
        receipts.append(Receipt(source, received, now))
        gross += received
        emit Received(source, received)
    }

    entry raise_expenses(amount: Money) by producer {
        require amount > approved_expenses, "the approved expenses can only be raised"
        approved_expenses = amount
        emit ExpensesApproved(amount)
    }

    // Everything `p` received, tier by tier, in the order of the tiers.
    entry statement(p: Party) by cam, producer, auditors -> List[Payout] {
        let out: List[Payout] = []
        for line, amount in lines {
            if line.party == p {
                out.append(Payout(p, line.tier, amount))
            }
        }
        return out
    }

    scenario "a first receipt stops in the distributor's P&A" {
        fund fintage 100_000 EUR
        deploy CollectionAccount(title: "Les Nuits de Saint-Malo", cam_fee_cap: 5_000 EUR,
            expenses_cap: 40_000 EUR, pa_costs: 120_000 EUR, minimum_guarantee: 150_000 EUR,
            equity: {bpifund: 400_000 EUR, angel: 100_000 EUR},
            deferments: {director: 30_000 EUR, lead_actor: 20_000 EUR}, corridor_cap: 25_000 EUR,
            cam: fintage, sales_agent: wildbunch, distributor: pathe, producer: studio, auditors: [bpifund, angel])
            by fintage
        call receive("MG France, theatrical") by fintage paying 100_000 EUR
        // 100_000.00 in
        //   CAM fee     1% of 100_000.00           =  1_000.00   left 99_000.00
        //   commission 15% of  99_000.00           = 14_850.00   left 84_150.00
        //   expenses    all, up to 40_000.00       = 40_000.00   left 44_150.00
        //   dist. fee  25% of  44_150.00           = 11_037.50   left 33_112.50
        //   P&A         all, up to 120_000.00      = 33_112.50   left 0
        expect balance(fintage) == 1_000 EUR
        expect balance(wildbunch) == 54_850 EUR          // 14_850.00 + 40_000.00
        expect balance(pathe) == 44_150 EUR              // 11_037.50 + 33_112.50
        expect balance(bpifund) == 0 EUR
        expect received_by[wildbunch] == 54_850 EUR
        expect lines[Line(wildbunch, Tier.Expenses)] == 40_000 EUR
        expect lines[Line(pathe, Tier.PandA)] == 33_112.50 EUR
        expect tier_totals[Tier.DistributionFee] == 11_037.50 EUR
        expect gross == 100_000 EUR
    }

    scenario "four receipts run the waterfall to net profits" {
        fund fintage 2_000_000 EUR
        deploy w = CollectionAccount(title: "Les Nuits de Saint-Malo", cam_fee_cap: 5_000 EUR,
            expenses_cap: 40_000 EUR, pa_costs: 120_000 EUR, minimum_guarantee: 150_000 EUR,
            equity: {bpifund: 400_000 EUR, angel: 100_000 EUR},
            deferments: {director: 30_000 EUR, lead_actor: 20_000 EUR}, corridor_cap: 25_000 EUR,
            cam: fintage, sales_agent: wildbunch, distributor: pathe, producer: studio, auditors: [bpifund, angel])
            by fintage
        call w.receive("MG France, theatrical") by fintage paying 100_000 EUR
        // as in the first scenario: CAM 1_000.00, agent 54_850.00, distributor 44_150.00
        call w.raise_expenses(55_000 EUR) by studio
        call w.receive("Festival sales, Berlin") by fintage paying 500_000 EUR
        // 500_000.00 in
        //   CAM fee     1% = 5_000.00, capped at the 4_000.00 left of 5_000.00   left 496_000.00
        //   commission 15% of 496_000.00             = 74_400.00   left 421_600.00
        //   expenses    the 15_000.00 newly approved               left 406_600.00
        //   dist. fee  25% of 406_600.00             = 101_650.00  left 304_950.00
        //   P&A         the 86_887.50 still owed                   left 218_062.50
        //   MG          all, up to 150_000.00        = 150_000.00  left  68_062.50
        //   equity      owed 480_000.00 and 120_000.00 (4:1): 54_450.00 and 13_612.50
        expect balance(fintage) == 1_405_000 EUR          // 2_000_000 - 600_000 + 5_000 in fees
        expect w.received_by[wildbunch] == 144_250 EUR    // 54_850.00 + 74_400.00 + 15_000.00
        expect w.received_by[pathe] == 382_687.50 EUR     // 44_150.00 + 101_650.00 + 86_887.50 + 150_000.00
        expect balance(bpifund) == 54_450 EUR
        expect balance(angel) == 13_612.50 EUR
        call w.receive("SVOD worldwide") by fintage paying 1_000_000 EUR
        // 1_000_000.00 in
        //   CAM fee     capped: nothing                            left 1_000_000.00
        //   commission 15%                           = 150_000.00  left   850_000.00
        //   expenses, P&A, MG: recouped
        //   dist. fee  25% of 850_000.00             = 212_500.00  left   637_500.00
        //   equity      still owed 425_550.00 + 106_387.50 = 531_937.50, all paid
        //                                                          left   105_562.50
        //   deferments  owed 30_000.00 and 20_000.00: all paid     left    55_562.50
        //   corridor   10% of 55_562.50 = 5_556.25                 left    50_006.25
        //   net profits 50% producer, 40% bpifund, 10% angel:
        //               25_003.125 / 20_002.50 / 5_000.625 -> 25_003.12 / 20_002.50 / 5_000.62,
        //               the cent left goes to the largest remainder, a tie (0.5 cent each)
        //               between the producer and angel: to the producer, listed first
        //               -> 25_003.13 / 20_002.50 / 5_000.62
        expect balance(bpifund) == 500_002.50 EUR         // 480_000.00 recouped + 20_002.50
        expect balance(angel) == 125_000.62 EUR           // 120_000.00 recouped + 5_000.62
        expect balance(director) == 30_000 EUR
        expect balance(lead_actor) == 20_000 EUR
        expect balance(studio) == 30_559.38 EUR           // 5_556.25 + 25_003.13
        call w.receive("TV licence, Arte") by fintage paying 100_000.01 EUR
        // 100_000.01 in
        //   commission 15% of 100_000.01 = 15_000.0015 -> 15_000.00   left 85_000.01
        //   dist. fee  25% of  85_000.01 = 21_250.0025 -> 21_250.00   left 63_750.01
        //   corridor   10% of  63_750.01 = 6_375.001 -> 6_375.00, capped at the
        //              19_443.75 left of 25_000.00: 6_375.00          left 57_375.01
        //   net profits 28_687.505 / 22_950.004 / 5_737.501
        //               -> 28_687.50 / 22_950.00 / 5_737.50, one cent left: largest
        //               remainder 0.5 (the producer) -> 28_687.51 / 22_950.00 / 5_737.50
        expect balance(studio) == 65_621.89 EUR           // 30_559.38 + 6_375.00 + 28_687.51
        expect balance(bpifund) == 522_952.50 EUR         // 500_002.50 + 22_950.00
        expect balance(angel) == 130_738.12 EUR           // 125_000.62 + 5_737.50
        expect w.lines[Line(studio, Tier.Corridor)] == 11_931.25 EUR   // 5_556.25 + 6_375.00
        expect w.lines[Line(bpifund, Tier.Equity)] == 480_000 EUR
        expect w.tier_totals[Tier.NetProfit] == 107_381.26 EUR     // 50_006.25 + 57_375.01
        expect w.gross == 1_700_000.01 EUR
        expect balance(w) == 0 EUR
        call w.statement(bpifund) by bpifund              // its equity and net profit lines
        expect fails call w.statement(bpifund) by wildbunch with "permission denied"
    }

    scenario "only the CAM records receipts; the cap is raised, never lowered" {
        fund fintage 10_000 EUR
        fund studio 5_000 EUR
        deploy CollectionAccount(title: "Les Nuits de Saint-Malo", expenses_cap: 40_000 EUR,
            pa_costs: 120_000 EUR, minimum_guarantee: 150_000 EUR,
            equity: {bpifund: 400_000 EUR}, deferments: {director: 30_000 EUR}, corridor_cap: 25_000 EUR,
            cam: fintage, sales_agent: wildbunch, distributor: pathe, producer: studio, auditors: [bpifund])
            by fintage
        expect fails call receive("festival prize") by studio paying 5_000 EUR with "permission denied"
        expect fails call receive("nothing yet") by fintage with "empty"
        expect fails call receive("MG Benelux") by fintage paying 10_000.01 EUR with "insufficient balance"
        expect fails call raise_expenses(30_000 EUR) by studio with "only be raised"
        expect fails call raise_expenses(40_000 EUR) by studio with "only be raised"
        expect fails call raise_expenses(90_000 EUR) by wildbunch with "permission denied"
        expect approved_expenses == 40_000 EUR
        expect gross == 0 EUR
        expect balance(studio) == 5_000 EUR
        expect balance(fintage) == 10_000 EUR
        expect fails deploy CollectionAccount(title: "No investors", expenses_cap: 0 EUR, pa_costs: 0 EUR,
            minimum_guarantee: 0 EUR, equity: {}, deferments: {}, corridor_cap: 0 EUR) by fintage
        call receive("MG Benelux") by fintage paying 10_000 EUR
        // CAM 1% = 100.00; commission 15% of 9_900.00 = 1_485.00; the 8_415.00 left go
        // to the sales agent's expenses
        expect received_by[wildbunch] == 9_900 EUR
        expect not (studio in received_by)
    }

    scenario "one receipt straddles every capped tier" {
        fund fintage 1_000_000 EUR
        deploy w = CollectionAccount(title: "Petit Budget", cam_fee_rate: 2%, cam_fee_cap: 1_000 EUR,
            commission_rate: 10%, expenses_cap: 5_000 EUR, distribution_fee_rate: 20%,
            pa_costs: 10_000 EUR, minimum_guarantee: 20_000 EUR,
            equity: {alpha: 30_000 EUR, beta: 20_000 EUR, gamma: 10_000 EUR}, premium: 10%,
            deferments: {}, corridor_rate: 5%, corridor_cap: 2_000 EUR, producer_share: 40%,
            cam: fintage, sales_agent: agent, distributor: dist, producer: studio, auditors: [alpha])
            by fintage
        call w.receive("All rights, world") by fintage paying 250_000 EUR
        // 250_000.00 in
        //   CAM fee     2% = 5_000.00, capped at 1_000.00              left 249_000.00
        //   commission 10% of 249_000.00 = 24_900.00                   left 224_100.00
        //   expenses    5_000.00                                       left 219_100.00
        //   dist. fee  20% of 219_100.00 = 43_820.00                   left 175_280.00
        //   P&A 10_000.00, MG 20_000.00                                left 145_280.00
        //   equity at 110%: 33_000.00 + 22_000.00 + 11_000.00 = 66_000.00  left 79_280.00
        //   no deferments
        //   corridor    5% of 79_280.00 = 3_964.00, capped at 2_000.00 left 77_280.00
        //   net profits 40% producer, 60% investors 3:2:1 (30% / 20% / 10%):
        //               30_912.00 / 23_184.00 / 15_456.00 / 7_728.00, exact
        expect balance(fintage) == 751_000 EUR           // 1_000_000 - 250_000 + 1_000
        expect balance(agent) == 29_900 EUR
        expect balance(dist) == 73_820 EUR               // 43_820 + 10_000 + 20_000
        expect balance(alpha) == 56_184 EUR              // 33_000 + 23_184
        expect balance(beta) == 37_456 EUR               // 22_000 + 15_456
        expect balance(gamma) == 18_728 EUR              // 11_000 + 7_728
        expect balance(studio) == 32_912 EUR             // 2_000 + 30_912
        expect w.received_by[studio] == 32_912 EUR
        expect w.tier_totals[Tier.Equity] == 66_000 EUR
    }
}
