// Invoice factoring: a supplier sells a trade receivable to a financier at a
// discount, to be paid now instead of at the invoice's due date.
//
// Parties
//   suppliers (role)   onboarded sellers; a supplier registers an invoice on its
//                      buyer and offers it for sale to one financier.
//   buyer              the debtor named on the invoice. Its acceptance confirms the
//                      debt (no dispute, no set-off): only accepted invoices trade.
//   financiers (role)  onboarded factors and banks that buy accepted invoices.
//   holder             who owns the receivable now: the supplier, then the financier
//                      that bought it. At maturity the buyer pays the holder.
//
// The price is the face value less a discount of face x rate x days / 360 (the
// money-market ACT/360 convention), days counted from the agreed value date to the
// due date, rounded down to the cent. An invoice number registers once, so the
// same receivable cannot be financed twice.
//
// Scenarios
//   1. an invoice is registered, accepted, factored at 7.5% for 75 days, and paid
//      at maturity to the financier.
//   2. the wrong party at each step is refused, as are a duplicate invoice, a short
//      payment and an offer of an invoice that is already paid.

contract Factoring {
    role suppliers
    role financiers

    param day_basis: Int = 360

    enum Status { Registered, Accepted, Offered, Factored, Paid }
    record Invoice { supplier: Party, buyer: Party, holder: Party, number: Text, face: Money, due: Date, status: Status }
    record Offer { financier: Party, rate: Rate, value_date: Date, price: Money }

    state invoices: Map[Int, Invoice]
    state offers: Map[Int, Offer] visible to financiers
    state numbers: Map[Text, Int]
    state count: Int = 0

    event Registered(id: Int, supplier: Party, buyer: Party, face: Money, due: Date)
    event Accepted(id: Int)
    event Offered(id: Int, financier: Party, price: Money)
    event Factored(id: Int, financier: Party, price: Money)
    event Settled(id: Int, holder: Party, amount: Money)

    invariant balance == 0 EUR

    fn discount(face: Money, rate: Rate, days: Int, basis: Int) -> Money {
        return face * rate * days / basis
    }

    entry register(buyer: Party, number: Text, face: Money, due: Date) by suppliers {
        require not (number in numbers), "invoice number already registered"
        require face > 0 EUR, "face value must be positive"
        require buyer != caller, "a supplier cannot invoice itself"
        invoices[count] = Invoice(caller, buyer, caller, number, face, due, Status.Registered)
        numbers[number] = count
        emit Registered(count, caller, buyer, face, due)
        count += 1
    }

    entry accept(id: Int) by anyone {
        let inv = invoices[id]
        require caller == inv.buyer, "only the buyer can accept its invoice"
        require inv.status == Status.Registered, "invoice is not awaiting acceptance"
        invoices[id].status = Status.Accepted
        emit Accepted(id)
    }

    entry offer(id: Int, financier: Party, rate: Rate, value_date: Date) by suppliers {
        let inv = invoices[id]
        require caller == inv.holder, "only the holder can sell the invoice"
        require inv.status == Status.Accepted or inv.status == Status.Offered, "only an accepted invoice can be sold"
        require value_date < inv.due, "the value date must come before the due date"
        let days = (inv.due - value_date) / 1d
        let price = inv.face - discount(inv.face, rate, days, day_basis)
        offers[id] = Offer(financier, rate, value_date, price)
        invoices[id].status = Status.Offered
        emit Offered(id, financier, price)
    }

    entry factor(id: Int) by financiers pays any {
        let inv = invoices[id]
        require inv.status == Status.Offered, "invoice is not on offer"
        let o = offers[id]
        require caller == o.financier, "the offer was made to another financier"
        require received == o.price, "pay the offered price exactly"
        pay received to inv.holder
        invoices[id].holder = caller
        invoices[id].status = Status.Factored
        offers.remove(id)
        emit Factored(id, caller, received)
    }

    entry settle(id: Int) by anyone pays any {
        let inv = invoices[id]
        require caller == inv.buyer, "only the buyer settles its invoice"
        require inv.status != Status.Paid, "invoice already paid"
        require received == inv.face, "pay the face value in full"
        pay received to inv.holder
        invoices[id].status = Status.Paid
        emit Settled(id, inv.holder, received)
    }
}

scenario "a factored invoice is paid to the financier at maturity" {
    fund fincorp 50_000 EUR
    fund northbank 50_000 EUR
    fund retailer 48_250 EUR
    deploy f = Factoring(suppliers: [acme], financiers: [fincorp, northbank]) by platform
    call f.register(retailer, "ACME-2026-0142", 48_250.00 EUR, 2026-03-31) by acme
    call f.accept(0) by retailer
    at 2026-01-15T09:00Z
    call f.offer(0, fincorp, 7.5%, 2026-01-15) by acme
    // 75 days from 15 January to 31 March 2026 (16 + 28 + 31):
    // discount = 48_250.00 x 7.5% x 75 / 360 = 3_618.75 x 75 / 360 = 753.90625 -> 753.90 EUR
    // price    = 48_250.00 - 753.90 = 47_496.10 EUR
    expect fails call f.factor(0) by northbank paying 47_496.10 EUR   // offered to fincorp only
    expect fails call f.factor(0) by fincorp paying 47_000 EUR        // not the offered price
    call f.factor(0) by fincorp paying 47_496.10 EUR
    expect balance(acme) == 47_496.10 EUR       // cash on 15 January instead of 31 March
    expect balance(fincorp) == 2_503.90 EUR     // 50_000.00 - 47_496.10
    expect f.invoices[0].holder == fincorp
    at 2026-03-31T10:00Z
    expect fails call f.settle(0) by northbank paying 48_250 EUR       // only the buyer settles
    call f.settle(0) by retailer paying 48_250.00 EUR
    expect balance(retailer) == 0 EUR
    expect balance(fincorp) == 50_753.90 EUR    // 2_503.90 + 48_250.00: the discount is its yield
}

scenario "each step belongs to one party, and an invoice is financed once" {
    fund retailer 24_000 EUR
    fund fincorp 20_000 EUR
    deploy f = Factoring(suppliers: [acme, bolt], financiers: [fincorp]) by platform
    call f.register(retailer, "ACME-2026-0143", 12_000.00 EUR, 2026-04-30) by acme
    expect fails call f.register(retailer, "ACME-2026-0143", 12_000.00 EUR, 2026-04-30) by acme  // duplicate
    expect fails call f.register(retailer, "FAKE-0001", 9_000.00 EUR, 2026-04-30) by mallory   // not onboarded
    expect fails call f.accept(0) by fincorp                         // only the buyer accepts
    expect fails call f.offer(0, fincorp, 6%, 2026-02-01) by acme    // not accepted yet
    call f.accept(0) by retailer
    expect fails call f.offer(0, fincorp, 6%, 2026-02-01) by bolt    // a supplier, but not the holder
    expect fails call f.offer(0, fincorp, 6%, 2026-05-04) by acme    // value date after the due date
    expect fails call f.settle(0) by retailer paying 11_999.99 EUR   // one cent short
    call f.settle(0) by retailer paying 12_000.00 EUR                // never sold: the supplier is paid
    expect balance(acme) == 12_000 EUR
    expect balance(retailer) == 12_000 EUR                           // 24_000 - 12_000
    expect fails call f.offer(0, fincorp, 6%, 2026-02-01) by acme    // already paid
    expect fails call f.settle(0) by retailer paying 12_000 EUR      // paid once only
    expect balance(fincorp) == 20_000 EUR
}
