// registry: a land registry for a governmental chain (open read, members write):
// parcels with their owner, zoning, servitudes, assessed value and property tax,
// and the full history of each parcel, written only by notaries.
//
// Parties
//   registrar       the land registry office (cadastre): appoints and dismisses
//                   notaries; it writes nothing else.
//   notaries (role) the only writers: register parcels, record zoning changes,
//                   revaluations and servitudes, open sale deeds and sign them.
//   treasury        receives the transfer duty on every sale.
//   owners, buyers  consent to a sale (the seller approves, the buyer approves by
//                   paying the price and the duty into the deed's escrow).
//
// A sale: a notary opens a deed (parcel, buyer, price); the seller approves; the
// buyer approves by paying price + duty; the notary who opened the deed signs it,
// which pays the seller and the treasury and makes the buyer the owner, in one
// transaction. Without both approvals and the notary's signature, nothing moves.
//
// Decisions
//   - Property tax = assessed value x `tax_rate`, rounded down to the cent,
//     recomputed at every registration and revaluation (never by a sale: the
//     assessment is the notary's act, not the price's).
//   - Transfer duty = price x `transfer_duty`, rounded down to the cent, fixed when
//     the deed is opened; the buyer pays it with the price, exactly.
//   - A deed is valid for `deed_validity` from its opening, inclusive of the last
//     second; after that it can only be cancelled, and cancellation refunds the
//     buyer in full. A parcel has at most one open deed.
//   - Only the notary who opened a deed signs it; any notary may cancel an expired
//     deed; the buyer or the seller may cancel an open deed before signature, and
//     the buyer is refunded.
//   - A servitude burdens one parcel (the servient) for the benefit of another (the
//     dominant); it is recorded in the history of both.
//   - The history of a parcel only grows: every act appends one entry (date, kind,
//     notary, parties, amount, note), in the order the acts were signed.
//   - A dismissed notary keeps its signatures on past acts, and loses the power to
//     sign deeds it opened (another notary cancels them once expired).
//
// Invariant: the registry holds exactly the escrow of open deeds.
//
// Scenarios (in the contract)
//   1. a sale: both consents, the signature, the duty to the cent; the history.
//   2. no sale without both parties: every missing consent and wrong party refused.
//   3. an unsigned deed expires and is cancelled; the buyer is refunded in full.
//   4. servitudes, rezoning, and notaries appointed and dismissed.

contract LandRegistry {
    party registrar
    party treasury
    role notaries

    param jurisdiction: Text
    param tax_rate: Rate = 1.2%
    param transfer_duty: Rate = 5.80665%
    param deed_validity: Duration = 90d

    enum Zoning { Residential, Commercial, Industrial, Agricultural, Natural }
    enum DeedStatus { Open, Completed, Cancelled }
    record Servitude { kind: Text, servient: Text, dominant: Text, registered: Date }
    record Parcel {
        owner: Party
        zoning: Zoning
        area_m2: Int
        value: Money
        tax: Money
        servitudes: List[Servitude]
    }
    record Act { on: Date, kind: Text, notary: Party, from: Party, to: Party, amount: Money, note: Text }
    record Deed {
        parcel: Text
        seller: Party
        buyer: Party
        price: Money
        duty: Money
        notary: Party
        opened: Time
        seller_approved: Bool
        buyer_paid: Money
        status: DeedStatus
    }

    state parcels: Map[Text, Parcel]
    state history: Map[Text, List[Act]]
    state deeds: Map[Int, Deed]
    state open_deeds: Map[Text, Int]            // parcel -> its open deed
    state deed_count: Int = 0
    state escrow: Money = 0 EUR

    event Registered(parcel: Text, owner: Party, value: Money)
    event DeedOpened(deed: Int, parcel: Text, seller: Party, buyer: Party, price: Money, duty: Money)
    event Approved(deed: Int, party: Party)
    event Sold(deed: Int, parcel: Text, seller: Party, buyer: Party, price: Money)
    event DeedCancelled(deed: Int, refunded: Money)

    invariant balance == escrow, "the registry holds exactly the escrow of open deeds"

    fn act(kind: Text, from: Party, to: Party, amount: Money, note: Text, notary: Party) -> Act {
        return Act(date(now), kind, notary, from, to, amount, note)
    }

    fn expired(d: Deed) -> Bool {
        return now > d.opened + deed_validity
    }

    entry appoint(notary: Party) by registrar {
        grant notaries to notary
    }

    entry dismiss(notary: Party) by registrar {
        revoke notaries from notary
    }

    entry register(parcel: Text, owner: Party, zoning: Zoning, area_m2: Int, value: Money) by notaries {
        require not (parcel in parcels), "this parcel is already registered"
        require area_m2 > 0, "the area must be positive"
        require value >= 0 EUR, "the value cannot be negative"
        let none: List[Servitude] = []
        parcels[parcel] = Parcel(owner, zoning, area_m2, value, value * tax_rate, none)
        history[parcel] = [act("registration", owner, owner, value, "first registration", caller)]
        emit Registered(parcel, owner, value)
    }

    entry rezone(parcel: Text, zoning: Zoning, note: Text) by notaries {
        let p = parcels[parcel]
        require zoning != p.zoning, "the parcel already has this zoning"
        parcels[parcel].zoning = zoning
        history[parcel].append(act("rezoning", p.owner, p.owner, 0 EUR, note, caller))
    }

    entry revalue(parcel: Text, value: Money) by notaries {
        let p = parcels[parcel]
        require value >= 0 EUR, "the value cannot be negative"
        parcels[parcel].value = value
        parcels[parcel].tax = value * tax_rate
        history[parcel].append(act("revaluation", p.owner, p.owner, value, "assessed value", caller))
    }

    entry add_servitude(servient: Text, dominant: Text, kind: Text) by notaries {
        require servient != dominant, "a parcel cannot burden itself"
        let s = parcels[servient]
        let d = parcels[dominant]
        parcels[servient].servitudes.append(Servitude(kind, servient, dominant, date(now)))
        history[servient].append(act("servitude (servient)", s.owner, d.owner, 0 EUR, kind + " for " + dominant, caller))
        history[dominant].append(act("servitude (dominant)", d.owner, s.owner, 0 EUR, kind + " over " + servient, caller))
    }

    entry open_sale(parcel: Text, buyer: Party, price: Money) by notaries -> Int {
        let p = parcels[parcel]
        require not (parcel in open_deeds), "a sale of this parcel is already open"
        require buyer != p.owner, "the owner cannot buy its own parcel"
        require price > 0 EUR, "the price must be positive"
        let id = deed_count
        deeds[id] = Deed(parcel, p.owner, buyer, price, price * transfer_duty, caller, now, false, 0 EUR, DeedStatus.Open)
        open_deeds[parcel] = id
        deed_count += 1
        emit DeedOpened(id, parcel, p.owner, buyer, price, price * transfer_duty)
        return id
    }

    entry approve_as_seller(deed: Int) by anyone {
        let d = deeds[deed]
        require caller == d.seller, "only the seller approves as seller"
        require d.status == DeedStatus.Open, "the deed is not open"
        require not expired(d), "the deed has expired"
        require not d.seller_approved, "already approved"
        deeds[deed].seller_approved = true
        emit Approved(deed, caller)
    }

    entry approve_as_buyer(deed: Int) by anyone pays any {
        let d = deeds[deed]
        require caller == d.buyer, "only the buyer approves as buyer"
        require d.status == DeedStatus.Open, "the deed is not open"
        require not expired(d), "the deed has expired"
        require d.buyer_paid == 0 EUR, "already approved"
        require received == d.price + d.duty, "pay the price and the transfer duty exactly"
        deeds[deed].buyer_paid = received
        escrow += received
        emit Approved(deed, caller)
    }

    entry sign(deed: Int) by notaries {
        let d = deeds[deed]
        require caller == d.notary, "only the notary who opened the deed signs it"
        require d.status == DeedStatus.Open, "the deed is not open"
        require not expired(d), "the deed has expired"
        require d.seller_approved, "the seller has not approved"
        require d.buyer_paid > 0 EUR, "the buyer has not approved"
        pay d.price to d.seller
        pay d.duty to treasury
        escrow -= d.buyer_paid
        parcels[d.parcel].owner = d.buyer
        deeds[deed].status = DeedStatus.Completed
        open_deeds.remove(d.parcel)
        history[d.parcel].append(act("sale", d.seller, d.buyer, d.price, "duty " + jurisdiction, caller))
        emit Sold(deed, d.parcel, d.seller, d.buyer, d.price)
    }

    entry cancel(deed: Int) by anyone {
        let d = deeds[deed]
        require d.status == DeedStatus.Open, "the deed is not open"
        let by_party = caller == d.buyer or caller == d.seller
        require by_party or (caller in notaries and expired(d)), "only a party, or a notary once the deed has expired, cancels"
        if d.buyer_paid > 0 EUR {
            pay d.buyer_paid to d.buyer
            escrow -= d.buyer_paid
        }
        deeds[deed].status = DeedStatus.Cancelled
        open_deeds.remove(d.parcel)
        emit DeedCancelled(deed, d.buyer_paid)
    }

    entry history_of(parcel: Text) by anyone -> List[Act] {
        return history[parcel]
    }

    scenario "a sale: both consents, the signature, the duty to the cent" {
        fund bernard 400_000 EUR
        deploy LandRegistry(jurisdiction: "Ille-et-Vilaine", registrar: cadastre, treasury: dgfip, notaries: [me_durand])
        call register("35238-AB-0117", alice, Zoning.Residential, 540, 320_000 EUR) by me_durand
        // tax: 320_000.00 x 1.2% = 3_840.00
        expect parcels["35238-AB-0117"].tax == 3_840 EUR
        call open_sale("35238-AB-0117", bernard, 347_500 EUR) by me_durand
        // duty: 347_500.00 x 5.80665% = 20_178.10875 -> 20_178.10; the buyer pays 367_678.10
        expect deeds[0].duty == 20_178.10 EUR
        call approve_as_seller(0) by alice
        call approve_as_buyer(0) by bernard paying 367_678.10 EUR
        expect escrow == 367_678.10 EUR
        call sign(0) by me_durand
        expect balance(alice) == 347_500 EUR
        expect balance(dgfip) == 20_178.10 EUR
        expect balance(bernard) == 32_321.90 EUR        // 400_000.00 - 367_678.10
        expect parcels["35238-AB-0117"].owner == bernard
        expect parcels["35238-AB-0117"].tax == 3_840 EUR     // a sale does not reassess
        call revalue("35238-AB-0117", 347_500 EUR) by me_durand
        // tax: 347_500.00 x 1.2% = 4_170.00
        expect parcels["35238-AB-0117"].tax == 4_170 EUR
        expect len(history["35238-AB-0117"]) == 3
        expect history["35238-AB-0117"][1].kind == "sale"
        expect history["35238-AB-0117"][1].from == alice
        expect history["35238-AB-0117"][1].to == bernard
        expect fails call sign(0) by me_durand with "not open"      // twice
        call history_of("35238-AB-0117") by journalist             // open read
        expect escrow == 0 EUR
    }

    scenario "no sale without both parties" {
        fund bernard 300_000 EUR
        fund mallory 400_000 EUR
        deploy LandRegistry(jurisdiction: "Ille-et-Vilaine", registrar: cadastre, treasury: dgfip,
                            notaries: [me_durand, me_petit])
        call register("35238-AB-0117", alice, Zoning.Residential, 540, 320_000 EUR) by me_durand
        expect fails call register("35238-AB-0118", mallory, Zoning.Residential, 200, 1 EUR) by mallory with "permission denied"
        expect fails call open_sale("35238-AB-0117", mallory, 1 EUR) by mallory with "permission denied"
        expect fails call open_sale("35238-AB-0117", alice, 300_000 EUR) by me_durand with "own parcel"
        call open_sale("35238-AB-0117", bernard, 300_000 EUR) by me_durand
        expect fails call open_sale("35238-AB-0117", mallory, 400_000 EUR) by me_petit with "already open"
        expect fails call sign(0) by me_durand with "seller has not approved"
        expect fails call approve_as_seller(0) by mallory with "only the seller"
        expect fails call approve_as_buyer(0) by mallory paying 317_419.95 EUR with "only the buyer"
        expect fails call approve_as_buyer(0) by bernard paying 300_000 EUR with "exactly"
        call approve_as_seller(0) by alice
        expect fails call approve_as_seller(0) by alice with "already approved"
        expect fails call sign(0) by me_durand with "buyer has not approved"
        // duty 300_000.00 x 5.80665% = 17_419.95
        expect fails call approve_as_buyer(0) by bernard paying 317_419.95 EUR with "insufficient balance"
        expect deeds[0].buyer_paid == 0 EUR
        fund bernard 100_000 EUR                                   // his bank's loan arrives
        call approve_as_buyer(0) by bernard paying 317_419.95 EUR
        expect fails call sign(0) by me_petit with "only the notary who opened"
        expect fails call sign(0) by alice with "permission denied"
        expect parcels["35238-AB-0117"].owner == alice            // nothing moved yet
        expect balance(alice) == 0 EUR
        expect balance(mallory) == 400_000 EUR
        expect len(history["35238-AB-0117"]) == 1
        call cancel(0) by bernard                                  // he changes his mind before signature
        expect balance(bernard) == 400_000 EUR
        expect fails call sign(0) by me_durand with "not open"
        expect parcels["35238-AB-0117"].owner == alice
    }

    scenario "an unsigned deed expires and is cancelled; the buyer is refunded" {
        fund bernard 200_000 EUR
        deploy LandRegistry(jurisdiction: "Ille-et-Vilaine", registrar: cadastre, treasury: dgfip,
                            notaries: [me_durand, me_petit], deed_validity: 90d)
        call register("35047-ZC-0042", ferme_leclerc, Zoning.Agricultural, 125_000, 150_000 EUR) by me_durand
        at 2026-03-01T10:00Z
        call open_sale("35047-ZC-0042", bernard, 180_000 EUR) by me_durand
        // duty 180_000.00 x 5.80665% = 10_451.97
        call approve_as_buyer(0) by bernard paying 190_451.97 EUR
        expect fails call cancel(0) by me_petit with "once the deed has expired"
        at 2026-05-30T10:00Z                                   // exactly 90 days: still valid
        call approve_as_seller(0) by ferme_leclerc
        at 2026-05-30T10:00:01Z
        expect fails call sign(0) by me_durand with "expired"
        expect fails call cancel(0) by mallory with "only a party"
        call cancel(0) by me_petit
        expect balance(bernard) == 200_000 EUR
        expect balance(ferme_leclerc) == 0 EUR
        expect escrow == 0 EUR
        expect parcels["35047-ZC-0042"].owner == ferme_leclerc
        call open_sale("35047-ZC-0042", bernard, 175_000 EUR) by me_petit   // the parcel is free again
        expect deeds[1].status == DeedStatus.Open
    }

    scenario "servitudes, rezoning, and notaries appointed and dismissed" {
        deploy LandRegistry(jurisdiction: "Ille-et-Vilaine", registrar: cadastre, treasury: dgfip, notaries: [me_durand])
        expect fails call appoint(me_roux) by me_durand with "permission denied"
        call appoint(me_roux) by cadastre
        call register("35238-AB-0117", alice, Zoning.Residential, 540, 320_000 EUR) by me_roux
        call register("35238-AB-0118", bernard, Zoning.Agricultural, 8_000, 40_000 EUR) by me_durand
        expect fails call register("35238-AB-0118", mallory, Zoning.Natural, 1, 1 EUR) by me_durand with "already registered"
        call add_servitude("35238-AB-0118", "35238-AB-0117", "right of way") by me_durand
        expect fails call add_servitude("35238-AB-0117", "35238-AB-0117", "view") by me_durand with "itself"
        expect parcels["35238-AB-0118"].servitudes[0].dominant == "35238-AB-0117"
        expect history["35238-AB-0117"][1].note == "right of way over 35238-AB-0118"
        call rezone("35238-AB-0118", Zoning.Residential, "PLU revision 2026") by me_roux
        expect fails call rezone("35238-AB-0118", Zoning.Residential, "again") by me_roux with "already has"
        call dismiss(me_roux) by cadastre
        expect fails call revalue("35238-AB-0118", 90_000 EUR) by me_roux with "permission denied"
        expect parcels["35238-AB-0118"].value == 40_000 EUR
        expect parcels["35238-AB-0118"].zoning == Zoning.Residential
        expect history["35238-AB-0118"][2].notary == me_roux        // its past acts stand
        expect len(history["35238-AB-0118"]) == 3
    }
}
