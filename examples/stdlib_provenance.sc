// Walkthrough of the `provenance` module: a diamond from a Botswana mine to a
// jeweller in Paris, on a private chain of the trade's members.
//
// `import provenance` brings DiamondRegistry into this file. Members register
// stones they own with their Kimberley Process certificate; accredited labs grade
// them; members sell them to one another, paying through the registry, which
// takes its levy. Who owns which stone, and at what price it changed hands, are
// `visible to` the operator and the auditors only.
//
// Run it:  tabellion run examples/stdlib_provenance.sc
//
// What to look at
//   - the second certificate records the weight lost at cutting: never more;
//   - each sale pays the seller and the levy in one transaction.

import provenance

scenario "from the mine to the jeweller" {
    fund taillerie_anvers 80_000 EUR
    fund joaillier_paris 120_000 EUR
    deploy reg = DiamondRegistry(name: "Registre des diamants", levy: 0.2%, operator: bourse_anvers,
                                 members: [debswana, taillerie_anvers, joaillier_paris], labs: [hrd],
                                 auditors: [kp_belgique])
    call reg.register("LI-7781-0042", "Botswana", "BW-KP-2026-010203", 412) by debswana
    call reg.certify("LI-7781-0042", "HRD-R-0042", 412, "E", Clarity.VVS2, Cut.Rough) by hrd
    call reg.offer("LI-7781-0042", taillerie_anvers, 71_350 EUR) by debswana
    call reg.accept("LI-7781-0042") by taillerie_anvers paying 71_350 EUR
    // levy 71_350.00 x 0.2% = 142.70; the mine receives 71_207.30
    call reg.certify("LI-7781-0042", "HRD-P-0042", 201, "E", Clarity.VVS1, Cut.Excellent) by hrd
    call reg.offer("LI-7781-0042", joaillier_paris, 98_765.43 EUR) by taillerie_anvers
    call reg.accept("LI-7781-0042") by joaillier_paris paying 98_765.43 EUR
    // levy 98_765.43 x 0.2% = 197.53086 -> 197.53; the cutter receives 98_567.90
    expect balance(debswana) == 71_207.30 EUR
    expect balance(taillerie_anvers) == 107_217.90 EUR    // 80_000.00 - 71_350.00 + 98_567.90
    expect balance(bourse_anvers) == 340.23 EUR           // 142.70 + 197.53
    expect reg.owners["LI-7781-0042"] == joaillier_paris
    expect reg.stones["LI-7781-0042"].grade.weight == 201
    expect len(reg.certificates["LI-7781-0042"]) == 2
}
