// Walkthrough of the `escrow` module: a used car bought from a private seller.
//
// `import escrow` brings the stdlib Escrow contract into this file. One escrow is
// deployed per deal, naming the buyer, the seller and the arbiter, with the price
// and the delays. The buyer pays into the escrow, not to the seller; the seller
// delivers; the buyer confirms or disputes within the inspection period.
//
// Run it:  tabellion run examples/stdlib_escrow.sc
//
// What to look at
//   - the money sits in the escrow (`balance(deal)`) from payment to release;
//   - a dispute costs the arbiter's fee, taken from the price before the award;
//   - every wrong step (the seller confirming, the buyer releasing) is refused.

import escrow

scenario "a car delivered and confirmed" {
    fund claire 14_900 EUR
    deploy deal = Escrow(price: 14_900 EUR, ship_within: 10d, inspection: 3d,
                         buyer: claire, seller: garage_martin, arbiter: mediator)
    call deal.fund() by claire paying 14_900 EUR
    expect balance(deal) == 14_900 EUR
    wait 4d
    call deal.ship("handover at the garage, 42_180 km") by garage_martin
    expect fails call deal.confirm() by garage_martin with "permission denied"
    wait 1d
    call deal.confirm() by claire
    expect balance(garage_martin) == 14_900 EUR
    expect balance(deal) == 0 EUR
}

scenario "a hidden defect, and the arbiter's award" {
    fund claire 14_900 EUR
    deploy deal = Escrow(price: 14_900 EUR, ship_within: 10d, inspection: 3d, arbiter_fee: 2.5%,
                         buyer: claire, seller: garage_martin, arbiter: mediator)
    call deal.fund() by claire paying 14_900 EUR
    call deal.ship("handover at the garage, 42_180 km") by garage_martin
    wait 2d
    call deal.dispute("gearbox fault found at the first service") by claire
    expect fails call deal.release() by garage_martin with "nothing to release"
    call deal.resolve(85%) by mediator
    // fee 14_900.00 x 2.5% = 372.50; rest 14_527.50
    // seller 14_527.50 x 85% = 12_348.375 -> 12_348.37; buyer 14_527.50 - 12_348.37 = 2_179.13
    expect balance(mediator) == 372.50 EUR
    expect balance(garage_martin) == 12_348.37 EUR
    expect balance(claire) == 2_179.13 EUR
}
