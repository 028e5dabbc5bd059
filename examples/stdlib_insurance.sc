// Walkthrough of the `insurance` module: the two parametric covers of the stdlib,
// deployed by one insurer for one summer.
//
// `import insurance` brings FlightDelayCover and RainfallIndexCover into this
// file. Both pay on an index reported by an oracle (a flight's delay, a region's
// rainfall), never on a loss assessment, and both keep their pool's accounts in
// state: premiums, contributions, claims paid.
//
// Run it:  tabellion run examples/stdlib_insurance.sc
//
// What to look at
//   - the flight cover pays by tier of delay, per passenger, capped per policy;
//   - the family that skipped the cancellation option gets nothing when the
//     flight is cancelled: the option is what covers cancellation;
//   - the crop cover pays on a linear scale between its trigger and its exit.

import insurance

scenario "a family's holiday flights" {
    fund mutuelle 5_000 EUR
    fund famille_roux 100 EUR
    fund famille_diallo 100 EUR
    deploy flights = FlightDelayCover(premium: 9 EUR, cancellation_premium: 6 EUR,
        tiers: [Tier(3h, 80 EUR), Tier(5h, 200 EUR)], cancellation_indemnity: 300 EUR,
        policy_cap: 700 EUR, claim_window: 14d, insurer: [mutuelle], oracle: [aviation_feed])
        by mutuelle paying 5_000 EUR
    call flights.buy("TO3450", 2026-07-04, 4, false) by famille_roux paying 36 EUR       // 4 x 9.00
    call flights.buy("V72114", 2026-07-04, 3, true) by famille_diallo paying 45 EUR      // 3 x (9.00 + 6.00)
    at 2026-07-04T23:30Z
    call flights.report_delay("TO3450", 2026-07-04, 5h20m) by aviation_feed
    call flights.report_cancellation("V72114", 2026-07-04) by aviation_feed
    call flights.claim(0) by famille_roux
    // 4 passengers x 200.00 (5h20m reaches the 5h tier) = 800.00, capped at 700.00
    call flights.claim(1) by famille_diallo
    // 3 passengers x 300.00 = 900.00, capped at 700.00
    expect balance(famille_roux) == 764 EUR          // 100.00 - 36.00 + 700.00
    expect balance(famille_diallo) == 755 EUR        // 100.00 - 45.00 + 700.00
    expect balance(flights) == 3_681 EUR             // 5_000.00 + 81.00 - 1_400.00
    expect flights.claims_paid == 1_400 EUR
}

scenario "a dry season in the Beauce" {
    fund reassureur 50_000 EUR
    fund earl_martin 2_000 EUR
    fund gaec_perrin 2_000 EUR
    deploy crops = RainfallIndexCover(season: "Spring 2026", sales_close: 2026-03-31, season_end: 2026-06-30,
        trigger_mm: 180, exit_mm: 60, premium_rate: 6%, insurer: [reassureur], oracle: [meteo_france])
        by reassureur paying 50_000 EUR
    call crops.buy("Eure-et-Loir", 20_000 EUR) by earl_martin paying 1_200 EUR
    call crops.buy("Loiret", 15_000 EUR) by gaec_perrin paying 900 EUR
    at 2026-07-01T08:00Z
    call crops.report("Eure-et-Loir", 97) by meteo_france
    // (180 - 97) / (180 - 60) = 83 / 120: 20_000.00 x 83 / 120 = 13_833.333... -> 13_833.33
    call crops.report("Loiret", 181) by meteo_france          // above the trigger: nothing
    expect balance(earl_martin) == 14_633.33 EUR             // 2_000.00 - 1_200.00 + 13_833.33
    expect balance(gaec_perrin) == 1_100 EUR                 // 2_000.00 - 900.00
    expect crops.exposure == 0 EUR
}
