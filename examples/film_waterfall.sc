// Film collection account: the recoupment waterfall of an independent feature film,
// paying everyone with a stake in its revenues in the order the financing
// documents (the collection account management agreement, CAMA) set.
//
// Parties
//   cam          the collection account manager, an independent trustee: all
//                revenues (minimum guarantees, overages, licence fees) reach its
//                account and only it records them here. Fee: 1%, capped.
//   sales_agent  sells the film territory by territory: 15% commission, then
//                recoups its marketing and delivery expenses up to a cap.
//   producer     a 5% corridor (a deferred fee, capped) once sales costs are
//                covered, then 50% of net profits.
//   financier    the equity investor: recoups its investment plus a 20% premium,
//                pari passu with the regional film fund, then 35% of net profits.
//   film_fund    a regional fund: recoups its loan at 100%, then 15% of net profits.
//
// The waterfall remembers how far each capped tier has got, so each receipt goes
// on where the last one stopped, and a large one can finish a tier and start the
// next. Everything received is paid out in the same transaction.
//
// Scenarios
//   1. two receipts straddle the tiers: the CAM fee and the corridor reach their
//      caps, the investors recoup in full, and net profits are split 50/35/15.
//   2. a small receipt stops in the sales agent's tiers; only the CAM records
//      receipts, and an empty receipt is refused.

contract Film {
    party cam
    party sales_agent
    party producer
    party financier
    party film_fund
    role auditors                            // beneficiaries who may read the statements

    param equity: Money                      // the financier's investment
    param fund_loan: Money                   // the regional fund's loan
    param expenses_cap: Money = 60_000 EUR   // the sales agent's recoupable expenses
    param cam_fee_cap: Money = 10_000 EUR

    record Receipt { source: Text, amount: Money, when: Time }

    state receipts_total: Money = 0 EUR
    state statements: List[Receipt] visible to auditors

    event Received(source: Text, amount: Money)

    invariant balance == 0 EUR

    entry receive(source: Text) by cam pays any {
        require received > 0 EUR, "empty receipt"
        waterfall receipts(received) {
            fee      1% to cam up to cam_fee_cap
            fee      15% to sales_agent
            recoup   sales_agent up to expenses_cap
            fee      5% to producer up to 40_000 EUR
            recoup   pari_passu { financier: equity * 120%, film_fund: fund_loan }
            split    { producer: 50, financier: 35, film_fund: 15 }
        }
        statements.append(Receipt(source, received, now))
        receipts_total += received
        emit Received(source, received)
    }
}

scenario "two receipts straddle the tiers" {
    fund cam 1_300_000 EUR    // stands for the payments distributors made to the collection account
    deploy w = Film(equity: 500_000 EUR, fund_loan: 300_000 EUR, auditors: [producer, financier, film_fund]) by cam
    call w.receive("MG France, theatrical") by cam paying 400_000 EUR
    // 400_000.00 in: CAM 1% = 4_000.00; sales agent 15% of 396_000.00 = 59_400.00;
    // expenses 60_000.00 (cap reached); producer 5% of 276_600.00 = 13_830.00;
    // the 262_770.00 left go pari passu on 600_000.00 and 300_000.00 owed (2:1):
    // financier 175_180.00, film_fund 87_590.00. Nothing reaches net profits yet.
    expect balance(cam) == 904_000 EUR            // 1_300_000 - 400_000 + 4_000
    expect balance(sales_agent) == 119_400 EUR    // 59_400 + 60_000
    expect balance(producer) == 13_830 EUR
    expect balance(financier) == 175_180 EUR
    expect balance(film_fund) == 87_590 EUR
    wait 120d
    call w.receive("SVOD licence, worldwide") by cam paying 900_000 EUR
    // 900_000.00 in: CAM fee 9_000.00 capped at the 6_000.00 left; sales agent 15% of
    // 894_000.00 = 134_100.00; expenses already recouped; producer 5% of 759_900.00 =
    // 37_995.00, capped at the 26_170.00 left of 40_000.00; of the 733_730.00 left the
    // investors take all they are still owed, 424_820.00 + 212_410.00 = 637_230.00;
    // the last 96_500.00 are net profits: 48_250.00 / 33_775.00 / 14_475.00.
    expect balance(cam) == 10_000 EUR             // every euro paid in, 10_000 of fees back
    expect balance(sales_agent) == 253_500 EUR    // 119_400 + 134_100
    expect balance(producer) == 88_250 EUR        // 13_830 + 26_170 + 48_250
    expect balance(financier) == 633_775 EUR      // 600_000 recouped + 33_775
    expect balance(film_fund) == 314_475 EUR      // 300_000 recouped + 14_475
    expect w.receipts_total == 1_300_000 EUR
}

scenario "a small receipt stops at the sales agent; only the CAM records receipts" {
    fund cam 10_000 EUR
    fund producer 5_000 EUR
    deploy w = Film(equity: 500_000 EUR, fund_loan: 300_000 EUR, auditors: [producer, financier, film_fund]) by cam
    expect fails call w.receive("festival prize") by producer paying 5_000 EUR   // revenues go through the CAM
    expect fails call w.receive("nothing yet") by cam                            // an empty receipt
    call w.receive("MG Benelux") by cam paying 10_000 EUR
    // CAM 1% = 100.00; sales agent 15% of 9_900.00 = 1_485.00; the 8_415.00 left all
    // go to the sales agent's expenses (8_415.00 of its 60_000.00 cap).
    expect balance(cam) == 100 EUR
    expect balance(sales_agent) == 9_900 EUR      // 1_485 + 8_415
    expect balance(producer) == 5_000 EUR         // its corridor starts after the expenses
    expect balance(financier) == 0 EUR
    expect w.receipts_total == 10_000 EUR
}
