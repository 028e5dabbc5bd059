// BROKEN ON PURPOSE (tests/properties/test_testing_broken.py): an invoice
// register where the same invoice can be paid twice.
//
// A supplier registers an invoice on a buyer; the buyer settles it through the
// contract, which passes the money to the supplier. The invariant: the register
// never settles more than the face value of the invoices registered.
//
// The bug: `settle` forgets to refuse an invoice that is already paid.
//
// Counterexample expected: register, settle, settle again (at most 5 steps after
// the deploy, funding included).

contract Invoices {
    role suppliers

    enum Status { Open, Paid }
    record Invoice { supplier: Party, buyer: Party, face: Money, status: Status }

    state invoices: Map[Int, Invoice]
    state count: Int = 0
    state invoiced: Money = 0 EUR
    state settled: Money = 0 EUR

    invariant settled <= invoiced

    entry register(buyer: Party, face: Money) by suppliers {
        require face > 0 EUR, "an invoice is for a positive amount"
        invoices[count] = Invoice(supplier: caller, buyer: buyer, face: face, status: Status.Open)
        invoiced += face
        count += 1
    }

    entry settle(id: Int) by anyone pays any {
        require id in invoices, "no such invoice"
        let invoice = invoices[id]
        require caller == invoice.buyer, "only the buyer settles"
        require received == invoice.face, "pay the face value exactly"
        // BUG: missing `require invoice.status == Status.Open, "already paid"`
        pay received to invoice.supplier
        invoices[id].status = Status.Paid
        settled += received
    }
}

scenario "an invoice is registered and settled" {
    fund retailer 5_000 EUR
    deploy r = Invoices(suppliers: [acme]) by acme
    call r.register(retailer, 1_200 EUR) by acme
    call r.settle(0) by retailer paying 1_200 EUR
    expect balance(acme) == 1_200 EUR
    expect r.settled == 1_200 EUR
}
