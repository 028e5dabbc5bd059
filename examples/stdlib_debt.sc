// Walkthrough of the `debt` module: an invoice's whole life, from registration to
// a late payment to the investor that bought it on a marketplace.
//
// `import debt` brings Invoices (the registry of receivables) and InvoiceMarket
// (a venue) into this file. The market enrols itself with the registry when it is
// deployed and learns its own address from the registry's answer (`m.address`):
// the holder approves that address, for that invoice, before listing it.
//
// Run it:  tabellion run examples/stdlib_debt.sc
//
// What to look at
//   - the sale is atomic: fee to the operator, price to the seller, title to the
//     investor, in one transaction;
//   - the debtor pays whoever holds the invoice on the day it pays, and a late
//     payment carries interest by the day and the fixed 40 EUR indemnity.

import debt

scenario "sold on the market, paid late to the investor" {
    fund boulangeries_dupont 25_000 EUR
    fund fonds_pme 25_000 EUR
    deploy registry = Invoices(suppliers: [minoterie], financiers: [factor_bank], late_rate: 10.15%)
    deploy market = InvoiceMarket(registry: registry, name: "Place des Factures", fee_rate: 0.3%,
                                  operator: place_op, investors: [fonds_pme])
    at 2026-04-01T08:00Z
    // 1 April to 31 May: 29 + 31 = 60 days, the longest term allowed
    call registry.register(boulangeries_dupont, "MIN-2026-0415", 18_600 EUR, 2026-04-01, 2026-05-31) by minoterie
    call registry.accept(0) by boulangeries_dupont
    call registry.approve_venue(0, market.address) by minoterie
    call market.list(0, 18_400 EUR) by minoterie
    call market.buy(0) by fonds_pme paying 18_400 EUR
    // fee 18_400.00 x 0.3% = 55.20; the miller receives 18_344.80 on 1 April
    expect balance(place_op) == 55.20 EUR
    expect balance(minoterie) == 18_344.80 EUR
    expect registry.holders[0] == [minoterie, fonds_pme]
    at 2026-06-19T10:00Z                       // 31 May to 19 June: 19 days late
    // interest 18_600.00 x 10.15% x 19 / 365 = 98.2742... -> 98.27; indemnity 40.00
    // due 18_600.00 + 98.27 + 40.00 = 18_738.27
    call registry.amount_due(0) by boulangeries_dupont     // returns 18_738.27 EUR
    expect fails call registry.pay(0) by boulangeries_dupont paying 18_600 EUR with "exactly"
    call registry.pay(0) by boulangeries_dupont paying 18_738.27 EUR
    expect balance(fonds_pme) == 25_338.27 EUR   // 25_000.00 - 18_400.00 + 18_738.27
    expect balance(minoterie) == 18_344.80 EUR   // the late charges follow the claim
    expect registry.payments[0].interest == 98.27 EUR
}
