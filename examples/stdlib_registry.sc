// Walkthrough of the `registry` module: a house sold in a Breton village, on a
// governmental chain where anyone reads and only notaries write.
//
// `import registry` brings LandRegistry into this file. The registrar appoints
// the notaries; a notary registers the parcels, records a right of way, opens the
// sale deed and signs it once the seller has approved and the buyer has paid the
// price and the transfer duty into the deed's escrow.
//
// Run it:  tabellion run examples/stdlib_registry.sc
//
// What to look at
//   - nothing moves until both parties have approved and the notary has signed;
//   - the duty goes to the treasury in the same transaction as the price;
//   - the parcel's history is public and only grows.

import registry

scenario "a village house with a right of way" {
    fund famille_le_gall 300_000 EUR
    deploy land = LandRegistry(jurisdiction: "Cotes-d'Armor", tax_rate: 0.9%, registrar: cadastre,
                               treasury: tresor_public, notaries: [])
    call land.appoint(me_kerbrat) by cadastre
    call land.register("22113-C-0412", yves, Zoning.Residential, 1_250, 210_000 EUR) by me_kerbrat
    call land.register("22113-C-0413", anne, Zoning.Agricultural, 9_800, 35_000 EUR) by me_kerbrat
    // tax 210_000.00 x 0.9% = 1_890.00
    expect land.parcels["22113-C-0412"].tax == 1_890 EUR
    call land.add_servitude("22113-C-0413", "22113-C-0412", "right of way to the lane") by me_kerbrat
    call land.open_sale("22113-C-0412", famille_le_gall, 236_000 EUR) by me_kerbrat
    // duty 236_000.00 x 5.80665% = 13_703.694 -> 13_703.69; the buyers pay 249_703.69
    call land.approve_as_buyer(0) by famille_le_gall paying 249_703.69 EUR
    expect fails call land.sign(0) by me_kerbrat with "seller has not approved"
    call land.approve_as_seller(0) by yves
    call land.sign(0) by me_kerbrat
    expect balance(yves) == 236_000 EUR
    expect balance(tresor_public) == 13_703.69 EUR
    expect balance(famille_le_gall) == 50_296.31 EUR      // 300_000.00 - 249_703.69
    expect land.parcels["22113-C-0412"].owner == famille_le_gall
    expect len(land.history["22113-C-0412"]) == 3          // registration, right of way, sale
    call land.history_of("22113-C-0412") by voisin_curieux // anyone reads
}
