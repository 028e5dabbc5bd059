// debt: trade invoices as transferable claims, with factoring, late-payment
// charges and a marketplace where invoices are sold.
//
// ---------------------------------------------------------------------------------
// Invoices: the registry of trade receivables.
//
// Parties
//   suppliers (role)   onboarded sellers of goods and services; a supplier registers
//                      an invoice on its buyer (the debtor).
//   buyer              the debtor named on each invoice. Its acceptance confirms the
//                      debt (no dispute, no set-off): only accepted invoices move.
//   holder             whoever owns the receivable now: the supplier first, then
//                      anyone it transfers or sells it to. The buyer pays the holder.
//   financiers (role)  onboarded factors and banks that buy invoices at a discount.
//   venues             marketplace contracts (InvoiceMarket) that enrol themselves;
//                      a holder may approve one venue to sell one invoice.
//
// Life of an invoice: Registered -> Accepted -> (Listed <-> Accepted)* -> Paid,
// or Registered -> Rejected by the buyer.
//
// Decisions
//   - Payment terms: the due date must fall after the issue date and at most
//     `max_term` (60 days, the ceiling of the French LME and of the EU Late Payment
//     Directive between businesses) after it; exactly 60 days is accepted, 61 refused.
//     An invoice cannot be dated in the future.
//   - An invoice is identified by its supplier and its number: a supplier cannot
//     register the same number twice (no double financing of one receivable).
//   - Factoring price: face - discount, discount = face x rate x days / 360 (the
//     money-market ACT/360 convention), days counted from the day of payment to the
//     due date, computed exactly and rounded down once, to the cent (`Money * Rate`).
//     The holder's offer names one financier and is valid up to and including its
//     `until` date, which must come before the due date. The price is paid to the
//     holder and the invoice changes hands in the same transaction.
//   - Late payment: from the day after the due date, the buyer owes the face, plus
//     interest face x `late_rate` x days late / 365, rounded down to the cent, plus
//     the fixed `recovery_fee` (40 EUR: the Directive's compensation for recovery
//     costs). All of it goes to the holder on the day of payment. The buyer pays the
//     exact amount due that day (`amount_due` answers it), in one payment.
//   - Rounding is always down, in the debtor's favour, never below the cent.
//   - A venue's address is its own: the registry records the caller when a market
//     enrols, so no party can approve a venue that does not exist.
//   - The debtor may pay a listed invoice (a debt is always payable): the listing
//     lapses, the venue can no longer sell it, and delisting it does nothing more
//     than clear the venue's book.
//
// Invariant: the registry never holds money (every payment passes straight through).
//
// ---------------------------------------------------------------------------------
// InvoiceMarket: a venue where holders list invoices at a price and investors buy.
//
// Parties
//   operator          runs the venue and earns `fee_rate` of each sale, paid by the
//                     seller out of the price (rounded down to the cent).
//   investors (role)  onboarded buyers of invoices.
//   sellers           holders of accepted invoices that approved this venue.
//
// Listing locks the invoice in the registry (it cannot be transferred, offered or
// listed elsewhere); a sale pays the fee to the operator and the rest to the
// seller, and makes the investor the holder, all in one transaction. The buyer of
// the goods then pays the investor at maturity.
//
// Invariant: the market never holds money.
//
// Scenarios
//   Invoices 1. factored at 7.2% for 56 days and paid at maturity to the financier.
//   Invoices 2. paid 31 days late to the new holder: interest and 40 EUR indemnity.
//   Invoices 3. every refusal: terms, self-acceptance, non-holders, expired offer.
//   file     4. a marketplace sale, settled atomically; the debtor pays the investor.
//   file     5. only the approved venue sells; delisting unlocks the invoice.

contract Invoices {
    role suppliers
    role financiers

    param max_term: Duration = 60d
    param day_basis: Int = 360          // factoring discount: ACT/360
    param year_basis: Int = 365         // late interest: ACT/365
    param late_rate: Rate = 12.15%      // e.g. the ECB main refinancing rate + 8 points
    param recovery_fee: Money = 40 EUR

    enum Status { Registered, Accepted, Listed, Rejected, Paid }
    record Reference { supplier: Party, number: Text }
    record Invoice {
        supplier: Party
        buyer: Party
        holder: Party
        number: Text
        face: Money
        issued: Date
        due: Date
        status: Status
    }
    record Offer { financier: Party, rate: Rate, until: Date }
    record Payment { on: Date, amount: Money, interest: Money, indemnity: Money, to: Party }

    state invoices: Map[Int, Invoice]
    state references: Map[Reference, Int]
    state offers: Map[Int, Offer] visible to financiers
    state holders: Map[Int, List[Party]]       // each invoice's chain of title, first to last
    state payments: Map[Int, Payment]
    state venues: Map[Party, Text]             // enrolled marketplaces: address -> name
    state approved: Map[Int, Party]            // the venue its holder allows to sell an invoice
    state count: Int = 0

    event Registered(id: Int, supplier: Party, buyer: Party, number: Text, face: Money, due: Date)
    event Accepted(id: Int)
    event Rejected(id: Int, reason: Text)
    event Transferred(id: Int, from: Party, to: Party, price: Money)
    event Offered(id: Int, financier: Party, rate: Rate, until: Date)
    event Paid(id: Int, holder: Party, amount: Money, interest: Money, indemnity: Money)
    event VenueEnrolled(venue: Party, name: Text)

    invariant balance == 0 EUR, "the registry never holds money"

    fn discount(face: Money, rate: Rate, days: Int) -> Money {
        return face * (rate * days / day_basis)
    }

    fn interest(face: Money, days_late: Int) -> Money {
        return face * (late_rate * days_late / year_basis)
    }

    fn days_late(inv: Invoice, today: Date) -> Int {
        if today <= inv.due {
            return 0
        }
        return (today - inv.due) / 1d
    }

    fn owed(inv: Invoice, today: Date) -> Money {
        let late = days_late(inv, today)
        if late == 0 {
            return inv.face
        }
        return inv.face + interest(inv.face, late) + recovery_fee
    }

    fn movable(inv: Invoice) -> Bool {
        return inv.status == Status.Accepted
    }

    entry register(buyer: Party, number: Text, face: Money, issued: Date, due: Date) by suppliers -> Int {
        require buyer != caller, "a supplier cannot invoice itself"
        require face > 0 EUR, "the face value must be positive"
        require issued <= date(now), "an invoice cannot be dated in the future"
        require due > issued, "the due date must follow the issue date"
        require due - issued <= max_term, "payment term beyond the legal maximum of 60 days"
        let ref = Reference(caller, number)
        require not (ref in references), "this invoice number is already registered"
        let id = count
        invoices[id] = Invoice(caller, buyer, caller, number, face, issued, due, Status.Registered)
        references[ref] = id
        holders[id] = [caller]
        count += 1
        emit Registered(id, caller, buyer, number, face, due)
        return id
    }

    entry accept(id: Int) by anyone {
        let inv = invoices[id]
        require caller == inv.buyer, "only the buyer named on the invoice accepts it"
        require inv.status == Status.Registered, "the invoice is not awaiting acceptance"
        invoices[id].status = Status.Accepted
        emit Accepted(id)
    }

    entry reject(id: Int, reason: Text) by anyone {
        let inv = invoices[id]
        require caller == inv.buyer, "only the buyer named on the invoice rejects it"
        require inv.status == Status.Registered, "the invoice is not awaiting acceptance"
        invoices[id].status = Status.Rejected
        emit Rejected(id, reason)
    }

    // An assignment of the receivable, free or paid outside the chain.
    entry transfer(id: Int, to: Party) by anyone {
        let inv = invoices[id]
        require caller == inv.holder, "only the holder transfers the invoice"
        require movable(inv), "only an accepted invoice, not listed nor paid, can move"
        require to != caller and to != inv.buyer, "transfer to a third party"
        invoices[id].holder = to
        holders[id].append(to)
        if id in offers {
            offers.remove(id)
        }
        if id in approved {
            approved.remove(id)
        }
        emit Transferred(id, caller, to, 0 EUR)
    }

    entry offer(id: Int, financier: Party, rate: Rate, until: Date) by anyone {
        let inv = invoices[id]
        require caller == inv.holder, "only the holder offers the invoice"
        require movable(inv), "only an accepted invoice, not listed nor paid, can be factored"
        require financier in financiers, "offers go to onboarded financiers"
        require rate >= 0% and rate < 100%, "a discount rate between 0% and 100%"
        require until >= date(now) and until < inv.due, "the offer must end between today and the due date"
        offers[id] = Offer(financier, rate, until)
        emit Offered(id, financier, rate, until)
    }

    // The price of invoice `id` if it were factored today under its offer.
    entry price(id: Int) by anyone -> Money {
        let inv = invoices[id]
        let o = offers[id]
        return inv.face - discount(inv.face, o.rate, (inv.due - date(now)) / 1d)
    }

    entry factor(id: Int) by financiers pays any {
        let inv = invoices[id]
        require id in offers, "the invoice is not on offer"
        let o = offers[id]
        require caller == o.financier, "the offer was made to another financier"
        require date(now) <= o.until, "the offer has expired"
        require movable(inv), "only an accepted invoice, not listed nor paid, can be factored"
        let days = (inv.due - date(now)) / 1d
        require received == inv.face - discount(inv.face, o.rate, days), "pay the discounted price exactly"
        pay received to inv.holder
        invoices[id].holder = caller
        holders[id].append(caller)
        if id in offers {
            offers.remove(id)
        }
        if id in approved {
            approved.remove(id)
        }
        emit Transferred(id, inv.holder, caller, received)
    }

    // What the buyer must pay today to settle invoice `id`.
    entry amount_due(id: Int) by anyone -> Money {
        return owed(invoices[id], date(now))
    }

    entry pay(id: Int) by anyone pays any {
        let inv = invoices[id]
        require caller == inv.buyer, "only the buyer pays its invoice"
        require inv.status != Status.Paid, "the invoice is already paid"
        require inv.status != Status.Rejected, "the invoice was rejected"
        let today = date(now)
        let total = owed(inv, today)
        require received == total, "pay the amount due exactly (face, plus interest and indemnity if late)"
        let late_interest = 0 EUR
        let indemnity = 0 EUR
        if days_late(inv, today) > 0 {
            late_interest = interest(inv.face, days_late(inv, today))
            indemnity = recovery_fee
        }
        pay received to inv.holder
        invoices[id].status = Status.Paid
        payments[id] = Payment(today, received, late_interest, indemnity, inv.holder)
        if id in offers {
            offers.remove(id)
        }
        if id in approved {
            approved.remove(id)
        }
        emit Paid(id, inv.holder, received, late_interest, indemnity)
    }

    // -- the venue hooks, called by InvoiceMarket contracts

    // A market enrols itself and learns the address the registry knows it by.
    entry enroll_venue(name: Text) by anyone -> Party {
        require not (caller in venues), "this venue is already enrolled"
        venues[caller] = name
        emit VenueEnrolled(caller, name)
        return caller
    }

    entry approve_venue(id: Int, venue: Party) by anyone {
        let inv = invoices[id]
        require caller == inv.holder, "only the holder approves a venue"
        require movable(inv), "only an accepted invoice, not listed nor paid, can be sold"
        require venue in venues, "not an enrolled venue"
        approved[id] = venue
    }

    entry lock(id: Int, seller: Party) by anyone {
        let inv = invoices[id]
        require id in approved and approved[id] == caller, "only the venue its holder approved lists an invoice"
        require seller == inv.holder, "only the holder lists the invoice"
        require movable(inv), "only an accepted invoice, not listed nor paid, can be listed"
        invoices[id].status = Status.Listed
        if id in offers {
            offers.remove(id)
        }
    }

    // Unlisting an invoice that is no longer listed (the debtor paid it meanwhile)
    // does nothing, so a venue can always clear a stale listing.
    entry unlock(id: Int) by anyone {
        let inv = invoices[id]
        if inv.status == Status.Listed {
            require id in approved and approved[id] == caller, "only the venue that listed the invoice unlists it"
            invoices[id].status = Status.Accepted
        }
    }

    entry sell(id: Int, to: Party) by anyone pays any {
        let inv = invoices[id]
        require inv.status == Status.Listed, "the invoice is not for sale"
        require id in approved and approved[id] == caller, "only the venue that listed the invoice sells it"
        require to != inv.holder and to != inv.buyer, "sell to a third party"
        pay received to inv.holder
        invoices[id].holder = to
        invoices[id].status = Status.Accepted
        holders[id].append(to)
        if id in approved {
            approved.remove(id)
        }
        emit Transferred(id, inv.holder, to, received)
    }

    scenario "factored at 7.2% for 56 days and paid at maturity to the financier" {
        fund fincorp 60_000 EUR
        fund northbank 60_000 EUR
        fund retailer 48_250.55 EUR
        deploy Invoices(suppliers: [acme], financiers: [fincorp, northbank])
        at 2026-02-02T09:00Z
        // 2 February to 3 April: 26 + 31 + 3 = 60 days, exactly the maximum term
        call register(retailer, "ACME-2026-0142", 48_250.55 EUR, 2026-02-02, 2026-04-03) by acme
        call accept(0) by retailer
        at 2026-02-06T10:00Z
        call offer(0, fincorp, 7.2%, 2026-02-06) by acme
        // 6 February to 3 April: 22 + 31 + 3 = 56 days
        // discount = 48_250.55 x 7.2% x 56 / 360 = 3_474.0396 x 56 / 360 = 540.40616 -> 540.40
        // price    = 48_250.55 - 540.40 = 47_710.15
        expect fails call factor(0) by northbank paying 47_710.15 EUR with "another financier"
        expect fails call factor(0) by fincorp paying 47_710.14 EUR with "exactly"
        call factor(0) by fincorp paying 47_710.15 EUR
        expect balance(acme) == 47_710.15 EUR          // cash on 6 February instead of 3 April
        expect balance(fincorp) == 12_289.85 EUR       // 60_000.00 - 47_710.15
        expect invoices[0].holder == fincorp
        expect holders[0] == [acme, fincorp]
        at 2026-04-03T16:00Z
        call pay(0) by retailer paying 48_250.55 EUR   // on the due date: the face, nothing more
        expect balance(fincorp) == 60_540.40 EUR       // 12_289.85 + 48_250.55: the discount is its yield
        expect balance(retailer) == 0 EUR
        expect payments[0].interest == 0 EUR
    }

    scenario "paid 31 days late to the new holder: interest and the 40 EUR indemnity" {
        fund retailer 25_000 EUR
        deploy Invoices(suppliers: [acme], financiers: [fincorp], late_rate: 12.15%)
        at 2026-01-05T08:00Z
        // 5 January to 6 March: 26 + 28 + 6 = 60 days
        call register(retailer, "ACME-2026-0007", 10_000 EUR, 2026-01-05, 2026-03-06) by acme
        call accept(0) by retailer
        call transfer(0, northbank) by acme            // assigned to its bank
        expect fails call transfer(0, mallory) by acme with "only the holder"
        at 2026-04-06T11:00Z                          // 6 March to 6 April: 31 days late
        // interest  = 10_000.00 x 12.15% x 31 / 365 = 1_215.00 x 31 / 365 = 103.1917... -> 103.19
        // indemnity = 40.00
        // due       = 10_000.00 + 103.19 + 40.00 = 10_143.19
        expect fails call pay(0) by retailer paying 10_000 EUR with "exactly"
        expect fails call pay(0) by acme with "only the buyer"
        call pay(0) by retailer paying 10_143.19 EUR
        expect balance(northbank) == 10_143.19 EUR
        expect balance(acme) == 0 EUR                 // it sold the claim; the charges follow it
        expect payments[0].interest == 103.19 EUR
        expect payments[0].indemnity == 40 EUR
        expect fails call pay(0) by retailer paying 10_143.19 EUR with "already paid"
        expect balance(retailer) == 14_856.81 EUR     // 25_000.00 - 10_143.19: paid once
    }

    scenario "refusals: terms, self-acceptance, non-holders, expired offers" {
        fund fincorp 50_000 EUR
        fund retailer 900 EUR
        deploy Invoices(suppliers: [acme, bolt], financiers: [fincorp])
        at 2026-03-02T09:00Z
        // 2 March to 2 May: 29 + 30 + 2 = 61 days
        expect fails call register(retailer, "ACME-1", 5_000 EUR, 2026-03-02, 2026-05-02) by acme with "60 days"
        expect fails call register(retailer, "ACME-1", 5_000 EUR, 2026-03-03, 2026-04-30) by acme with "future"
        expect fails call register(retailer, "ACME-1", 5_000 EUR, 2026-03-02, 2026-03-02) by acme with "follow"
        expect fails call register(acme, "ACME-1", 5_000 EUR, 2026-03-02, 2026-04-30) by acme with "itself"
        expect fails call register(retailer, "FAKE-1", 5_000 EUR, 2026-03-02, 2026-04-30) by mallory with "permission denied"
        expect count == 0
        call register(retailer, "ACME-1", 5_000 EUR, 2026-03-02, 2026-05-01) by acme   // 60 days
        expect fails call register(retailer, "ACME-1", 900 EUR, 2026-03-02, 2026-04-01) by acme with "already registered"
        call register(retailer, "ACME-1", 900 EUR, 2026-03-02, 2026-04-01) by bolt      // another supplier's number 1
        expect fails call accept(0) by acme with "only the buyer"          // a supplier cannot accept its own
        expect fails call offer(0, fincorp, 6%, 2026-03-10) by acme with "accepted"
        call accept(0) by retailer
        expect fails call accept(0) by retailer with "not awaiting"        // twice
        expect fails call offer(0, fincorp, 6%, 2026-03-10) by bolt with "only the holder"
        expect fails call offer(0, mallory, 6%, 2026-03-10) by acme with "onboarded"
        expect fails call offer(0, fincorp, 6%, 2026-05-01) by acme with "between today and the due date"
        call offer(0, fincorp, 6%, 2026-03-10) by acme
        at 2026-03-11T00:00Z
        // the offer ran to 10 March: on the 11th, 51 days before 1 May, it is gone
        expect fails call factor(0) by fincorp paying 4_957.50 EUR with "expired"
        call reject(1, "goods never delivered") by retailer
        expect fails call pay(1) by retailer paying 900 EUR with "rejected"
        expect invoices[0].holder == acme                     // nothing moved
        expect invoices[0].status == Status.Accepted
        expect balance(fincorp) == 50_000 EUR
        expect balance(acme) == 0 EUR
    }
}

contract InvoiceMarket {
    party operator
    role investors

    param registry: Invoices
    param name: Text
    param fee_rate: Rate = 0.5%

    record Listing { seller: Party, price: Money, since: Time }

    state address: Party                      // this venue, as the registry knows it
    state listings: Map[Int, Listing]
    state volume: Money = 0 EUR
    state fees: Money = 0 EUR

    event Listed(id: Int, seller: Party, price: Money)
    event Delisted(id: Int)
    event Sold(id: Int, seller: Party, investor: Party, price: Money, fee: Money)

    invariant balance == 0 EUR, "the market never holds money"

    init {
        require fee_rate >= 0% and fee_rate < 100%, "a fee between 0% and 100%"
        address = call registry.enroll_venue(name)
    }

    entry list(id: Int, price: Money) by anyone {
        require price > 0 EUR, "a positive price"
        require not (id in listings), "already listed here"
        call registry.lock(id, caller)
        listings[id] = Listing(caller, price, now)
        emit Listed(id, caller, price)
    }

    entry delist(id: Int) by anyone {
        let l = listings[id]
        require caller == l.seller, "only the seller delists"
        call registry.unlock(id)
        listings.remove(id)
        emit Delisted(id)
    }

    entry buy(id: Int) by investors pays any {
        require id in listings, "not listed here"
        let l = listings[id]
        require received == l.price, "pay the listed price exactly"
        require caller != l.seller, "a seller cannot buy its own listing"
        let fee = received * fee_rate
        pay fee to operator
        call registry.sell(id, caller) paying received - fee
        listings.remove(id)
        volume += received
        fees += fee
        emit Sold(id, l.seller, caller, received, fee)
    }
}

scenario "a marketplace sale is settled atomically; the debtor pays the investor" {
    fund pension_fund 40_000 EUR
    fund mallory 30_000 EUR
    fund retailer 30_000 EUR
    deploy reg = Invoices(suppliers: [acme], financiers: [fincorp])
    deploy m = InvoiceMarket(registry: reg, name: "Tradeflow", fee_rate: 0.5%, operator: tradeflow,
                             investors: [pension_fund, insurer])
    expect reg.venues[m.address] == "Tradeflow"
    at 2026-05-04T09:00Z
    call reg.register(retailer, "ACME-2026-0311", 30_000 EUR, 2026-05-04, 2026-07-03) by acme
    call reg.accept(0) by retailer
    call reg.approve_venue(0, m.address) by acme
    call m.list(0, 29_640.90 EUR) by acme
    expect reg.invoices[0].status == Status.Listed
    expect fails call reg.transfer(0, insurer) by acme with "listed"   // locked while for sale
    expect fails call m.buy(0) by mallory paying 29_640.90 EUR with "permission denied"
    expect fails call m.buy(0) by pension_fund paying 29_000 EUR with "exactly"
    expect fails call m.buy(0) by insurer paying 29_640.90 EUR with "insufficient balance"
    expect m.listings[0].price == 29_640.90 EUR         // still listed, nothing paid
    call m.buy(0) by pension_fund paying 29_640.90 EUR
    // fee    = 29_640.90 x 0.5% = 148.2045 -> 148.20, to the operator
    // seller = 29_640.90 - 148.20 = 29_492.70
    expect balance(tradeflow) == 148.20 EUR
    expect balance(acme) == 29_492.70 EUR
    expect balance(pension_fund) == 10_359.10 EUR      // 40_000.00 - 29_640.90
    expect reg.invoices[0].holder == pension_fund
    expect reg.invoices[0].status == Status.Accepted
    expect not (0 in m.listings)
    expect m.fees == 148.20 EUR
    at 2026-07-03T12:00Z
    call reg.pay(0) by retailer paying 30_000 EUR
    expect balance(pension_fund) == 40_359.10 EUR      // 10_359.10 + 30_000.00: 359.10 earned in 60 days
    expect balance(m) == 0 EUR
    expect balance(reg) == 0 EUR
}

scenario "only the approved venue sells; delisting unlocks the invoice" {
    fund pension_fund 20_000 EUR
    fund mallory 20_000 EUR
    fund retailer 5_000 EUR
    deploy reg = Invoices(suppliers: [acme], financiers: [fincorp])
    deploy m = InvoiceMarket(registry: reg, name: "Tradeflow", operator: tradeflow, investors: [pension_fund])
    deploy rogue = InvoiceMarket(registry: reg, name: "Shadow", operator: mallory, investors: [mallory])
    at 2026-05-04T09:00Z
    call reg.register(retailer, "ACME-2026-0312", 12_000 EUR, 2026-05-04, 2026-06-30) by acme
    call reg.accept(0) by retailer
    expect fails call m.list(0, 11_900 EUR) by acme with "approved"   // no venue approved yet
    expect fails call reg.approve_venue(0, mallory) by acme with "enrolled"
    expect fails call reg.approve_venue(0, m.address) by mallory with "only the holder"
    call reg.approve_venue(0, m.address) by acme
    expect fails call rogue.list(0, 1 EUR) by acme with "approved"     // another venue
    expect fails call m.list(0, 11_900 EUR) by mallory with "only the holder"
    call m.list(0, 11_900 EUR) by acme
    expect fails call m.list(0, 11_800 EUR) by acme with "already listed"
    expect fails call reg.sell(0, mallory) by mallory paying 1 EUR with "only the venue"
    expect fails call m.delist(0) by pension_fund with "only the seller"
    call m.delist(0) by acme
    expect reg.invoices[0].status == Status.Accepted
    expect fails call m.buy(0) by pension_fund paying 11_900 EUR with "not listed"
    call reg.transfer(0, northbank) by acme                            // free to move again
    expect reg.invoices[0].holder == northbank
    expect balance(pension_fund) == 20_000 EUR
    expect balance(mallory) == 20_000 EUR
    call reg.register(retailer, "ACME-2026-0313", 5_000 EUR, 2026-05-04, 2026-06-30) by acme
    call reg.accept(1) by retailer
    call reg.approve_venue(1, m.address) by acme
    call m.list(1, 4_950 EUR) by acme
    call reg.pay(1) by retailer paying 5_000 EUR                       // paid early, while listed
    expect balance(acme) == 5_000 EUR
    expect fails call m.buy(1) by pension_fund paying 4_950 EUR with "not for sale"
    call m.delist(1) by acme                                           // clears the stale listing
    expect not (1 in m.listings)
    expect reg.invoices[1].status == Status.Paid
}
