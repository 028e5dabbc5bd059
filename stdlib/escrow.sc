// escrow: a buyer's payment held by a neutral contract until the goods arrive.
//
// The classic trade escrow (online marketplaces, second-hand vehicles, domain
// names): the buyer pays the price into the contract, the seller ships within a
// delay, the buyer inspects and either confirms or disputes; silence after the
// inspection period counts as acceptance; a dispute goes to an arbiter who decides
// how the price is shared and is paid a fee for it.
//
// Parties
//   buyer     pays the price in (exactly `price`), confirms, disputes, or takes the
//             price back if the seller has not shipped in time.
//   seller    declares the shipment (with a tracking reference) and is paid.
//   arbiter   decides a dispute only; its fee comes out of the price.
//
// Stages: Awaiting -> Funded -> Shipped -> Released (confirmed, or silence)
//                            -> Disputed -> Resolved (the arbiter's award)
//                  -> Refunded (not shipped within `ship_within`)
//
// Decisions
//   - Deadlines are inclusive: shipping exactly at the deadline is in time; the
//     refund opens one second after it. Likewise the inspection period.
//   - The arbiter's fee is `price x arbiter_fee`, rounded down to the cent, paid
//     first; the award gives the seller `rest x to_seller`, rounded down to the
//     cent, and the buyer everything left, so the cent lost to rounding goes to the
//     buyer (who paid it in).
//   - Only one price is held at a time; every path out pays all of it, so the
//     contract ends empty.
//
// Invariant: the contract holds exactly the price while a deal is open, nothing
// otherwise (`held` tracks it).
//
// Scenarios (in the contract)
//   1. paid, shipped, confirmed: the seller gets the price.
//   2. shipped but the buyer stays silent: the seller releases after inspection.
//   3. a dispute, decided 70/30 by the arbiter (figures to the cent below).
//   4. the seller never ships: the buyer is refunded after the deadline; every
//      wrong-party, wrong-stage and twice-made call is refused and changes nothing.

contract Escrow {
    party buyer
    party seller
    party arbiter

    param price: Money
    param ship_within: Duration = 14d
    param inspection: Duration = 7d
    param arbiter_fee: Rate = 3%

    enum Stage { Awaiting, Funded, Shipped, Disputed, Released, Refunded, Resolved }

    state stage: Stage = Stage.Awaiting
    state held: Money = 0 EUR
    state ship_by: Time
    state inspect_until: Time
    state tracking: Text = ""
    state complaint: Text = ""

    event Funded(amount: Money, ship_by: Time)
    event Shipped(tracking: Text, inspect_until: Time)
    event Released(amount: Money)
    event Disputed(reason: Text)
    event Resolved(fee: Money, to_seller: Money, to_buyer: Money)
    event Refunded(amount: Money)

    invariant balance == held, "the contract holds exactly the open price"

    init {
        require price > 0 EUR, "the price must be positive"
        require buyer != seller, "the buyer cannot sell to itself"
        require arbiter != buyer and arbiter != seller, "the arbiter must be neutral"
    }

    entry fund() by buyer pays price {
        require stage == Stage.Awaiting, "already funded"
        held = received
        ship_by = now + ship_within
        stage = Stage.Funded
        emit Funded(received, ship_by)
    }

    entry ship(reference: Text) by seller {
        require stage == Stage.Funded, "nothing to ship: not funded, or already shipped"
        require now <= ship_by, "too late: the shipping deadline has passed"
        tracking = reference
        inspect_until = now + inspection
        stage = Stage.Shipped
        emit Shipped(reference, inspect_until)
    }

    entry confirm() by buyer {
        require stage == Stage.Shipped, "nothing to confirm"
        let amount = held
        pay amount to seller
        held = 0 EUR
        stage = Stage.Released
        emit Released(amount)
    }

    entry release() by seller {
        require stage == Stage.Shipped, "nothing to release"
        require now > inspect_until, "the buyer is still inspecting"
        let amount = held
        pay amount to seller
        held = 0 EUR
        stage = Stage.Released
        emit Released(amount)
    }

    entry dispute(reason: Text) by buyer {
        require stage == Stage.Shipped, "nothing to dispute"
        require now <= inspect_until, "the inspection period is over"
        complaint = reason
        stage = Stage.Disputed
        emit Disputed(reason)
    }

    entry resolve(to_seller: Rate) by arbiter {
        require stage == Stage.Disputed, "no dispute to resolve"
        require to_seller >= 0% and to_seller <= 100%, "the seller's share lies between 0% and 100%"
        let fee = held * arbiter_fee
        let rest = held - fee
        let seller_part = rest * to_seller
        let buyer_part = rest - seller_part
        pay fee to arbiter
        pay seller_part to seller
        pay buyer_part to buyer
        held = 0 EUR
        stage = Stage.Resolved
        emit Resolved(fee, seller_part, buyer_part)
    }

    entry refund() by buyer {
        require stage == Stage.Funded, "no unshipped payment to refund"
        require now > ship_by, "the seller may still ship"
        let amount = held
        pay amount to buyer
        held = 0 EUR
        stage = Stage.Refunded
        emit Refunded(amount)
    }

    scenario "paid, shipped, confirmed" {
        fund alice 1_200 EUR
        deploy Escrow(price: 1_200 EUR, buyer: alice, seller: bob, arbiter: carol)
        call fund() by alice paying 1_200 EUR
        expect balance(alice) == 0 EUR
        call ship("COLISSIMO 6A123") by bob
        call confirm() by alice
        expect balance(bob) == 1_200 EUR
        expect stage == Stage.Released
        expect fails call confirm() by alice            // twice
        expect balance(bob) == 1_200 EUR
    }

    scenario "silence after inspection counts as acceptance" {
        fund alice 800 EUR
        deploy Escrow(price: 800 EUR, inspection: 5d, buyer: alice, seller: bob, arbiter: carol)
        call fund() by alice paying 800 EUR
        wait 2d
        call ship("DHL 4471") by bob
        wait 5d                                      // exactly the end of the inspection
        expect fails call release() by bob with "still inspecting"
        wait 1h
        expect fails call dispute("too late to complain") by alice with "inspection period is over"
        call release() by bob
        expect balance(bob) == 800 EUR
        expect held == 0 EUR
    }

    scenario "a dispute decided 70/30" {
        fund alice 2_345.67 EUR
        deploy Escrow(price: 2_345.67 EUR, buyer: alice, seller: bob, arbiter: carol)
        call fund() by alice paying 2_345.67 EUR
        call ship("UPS 1Z999") by bob
        call dispute("screen cracked on arrival") by alice
        expect fails call confirm() by alice             // a disputed deal waits for the arbiter
        expect fails call resolve(70%) by alice with "permission denied"
        call resolve(70%) by carol
        // fee  = 2_345.67 x 3%  = 70.3701  -> 70.37
        // rest = 2_345.67 - 70.37 = 2_275.30
        // seller 2_275.30 x 70% = 1_592.71 exactly; buyer 2_275.30 - 1_592.71 = 682.59
        expect balance(carol) == 70.37 EUR
        expect balance(bob) == 1_592.71 EUR
        expect balance(alice) == 682.59 EUR
        expect fails call resolve(50%) by carol with "no dispute"   // decided once
        expect balance(bob) == 1_592.71 EUR
    }

    scenario "never shipped: refunded after the deadline, and nobody else moves the money" {
        fund alice 300 EUR
        fund mallory 500 EUR
        deploy Escrow(price: 500 EUR, ship_within: 10d, buyer: alice, seller: bob, arbiter: carol)
        expect fails call fund() by alice paying 500 EUR with "insufficient balance"
        expect stage == Stage.Awaiting
        fund alice 200 EUR
        expect fails call fund() by mallory paying 500 EUR with "permission denied"
        expect fails call fund() by alice paying 499.99 EUR with "exactly"
        call fund() by alice paying 500 EUR
        expect fails call fund() by alice paying 500 EUR           // twice
        expect fails call refund() by alice with "may still ship"
        expect fails call release() by bob with "nothing to release"
        wait 10d
        wait 1h
        expect fails call ship("late parcel") by bob with "too late"
        expect fails call refund() by bob with "permission denied"
        expect balance(alice) == 0 EUR                    // still held: nothing moved
        expect held == 500 EUR
        call refund() by alice
        expect fails call refund() by alice               // twice
        expect balance(alice) == 500 EUR
        expect balance(mallory) == 500 EUR
        expect stage == Stage.Refunded
    }
}
