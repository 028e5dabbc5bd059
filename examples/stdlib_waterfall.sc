// Walkthrough of the `waterfall` module: the collection account of a documentary,
// receipt by receipt, with the statements each party reads.
//
// `import waterfall` brings CollectionAccount into this file. The deal terms are
// its params: fees, caps, what the distributor recoups, the investors' stakes
// (a map: party -> amount invested) and the deferments. Only the CAM records
// receipts; each receipt is paid out at once, tier by tier, and the statement of
// every party (`received_by`, `lines`, `tier_totals`) is updated in the same step.
//
// Run it:  tabellion run examples/stdlib_waterfall.sc
//
// What to look at
//   - the CAM fee reaches its cap during the third receipt and stops;
//   - the equity tier pays the two investors pari passu, in proportion to what
//     each is still owed (60:40), until both are recouped at 110%;
//   - the last cent of net profits goes to the largest remainder.

import waterfall

scenario "a documentary recoups and reaches net profits" {
    fund cam_trust 400_000 EUR
    deploy film = CollectionAccount(title: "Le Dernier Phare", cam_fee_rate: 1%, cam_fee_cap: 3_000 EUR,
        commission_rate: 20%, expenses_cap: 15_000 EUR, distribution_fee_rate: 30%,
        pa_costs: 20_000 EUR, minimum_guarantee: 30_000 EUR,
        equity: {region_fund: 60_000 EUR, coprod: 40_000 EUR}, premium: 10%,
        deferments: {director: 10_000 EUR}, corridor_rate: 5%, corridor_cap: 5_000 EUR, producer_share: 40%,
        cam: cam_trust, sales_agent: docs_intl, distributor: cinema_distrib, producer: phare_prod,
        auditors: [region_fund, coprod])
        by cam_trust
    call film.receive("Festival and TV pre-sales") by cam_trust paying 150_000 EUR
    // CAM 1_500.00; commission 20% of 148_500.00 = 29_700.00; expenses 15_000.00;
    // distribution fee 30% of 103_800.00 = 31_140.00; P&A 20_000.00; MG 30_000.00;
    // equity, the last 22_660.00, at 66_000.00 : 44_000.00 -> 13_596.00 / 9_064.00
    expect film.received_by[region_fund] == 13_596 EUR
    call film.receive("Streaming licence") by cam_trust paying 120_000 EUR
    // CAM 1_200.00; commission 23_760.00; distribution fee 28_512.00; the 66_528.00
    // left go to the equity: still owed 52_404.00 and 34_936.00 -> 39_916.80 / 26_611.20
    call film.receive("Educational rights") by cam_trust paying 90_000.03 EUR
    // 90_000.03 in
    //   CAM fee     1% = 900.0003, capped at the 300.00 left of 3_000.00  left 89_700.03
    //   commission 20% = 17_940.006 -> 17_940.00                        left 71_760.03
    //   dist. fee  30% = 21_528.009 -> 21_528.00                        left 50_232.03
    //   equity      the last 12_487.20 + 8_324.80 = 20_812.00             left 29_420.03
    //   deferment   director 10_000.00                                  left 19_420.03
    //   corridor    5% = 971.0015 -> 971.00                             left 18_449.03
    //   net profits 40% producer, 60% investors 60:40 (36% / 24%):
    //               7_379.612 / 6_641.6508 / 4_427.7672 -> 7_379.61 / 6_641.65 / 4_427.76,
    //               one cent left, to the largest remainder (0.72 cent): coprod -> 4_427.77
    expect balance(cam_trust) == 42_999.97 EUR        // 400_000.00 - 360_000.03 + 3_000.00 in fees
    expect film.received_by[region_fund] == 72_641.65 EUR     // 66_000.00 recouped + 6_641.65
    expect film.received_by[coprod] == 48_427.77 EUR          // 44_000.00 recouped + 4_427.77
    expect film.received_by[phare_prod] == 8_350.61 EUR       // 971.00 + 7_379.61
    expect film.lines[Line(docs_intl, Tier.Commission)] == 71_400 EUR   // 29_700 + 23_760 + 17_940
    expect film.tier_totals[Tier.CamFee] == 3_000 EUR
    expect balance(director) == 10_000 EUR
    expect balance(film) == 0 EUR
    call film.statement(coprod) by coprod             // its equity and net profit lines
}
