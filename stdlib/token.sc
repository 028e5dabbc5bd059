// token: a fungible token ledger, the smallest building block of the library.
//
// A token counts whole units (an Int): loyalty points, carbon credits, shares of a
// fund, tokenised invoices' fractions. It holds no money: its units are entries in
// its own ledger, moved by its entries only.
//
// Parties
//   issuer     mints new units (up to `max_supply`, if one is set) and may burn
//              units it holds; the only party that creates units.
//   holders    anyone: transfers its own units, and may allow a spender to move up
//              to an amount of them on its behalf until a date (an allowance).
//
// Decisions
//   - Units are whole: no rounding happens anywhere in this contract.
//   - `max_supply` 0 means no cap. Burning lowers the supply, so units burnt can be
//     minted again under the cap.
//   - An allowance is replaced, never added to, by a new `approve`; it lapses at the
//     end of its `until` date (a transfer on that date still passes) and each
//     `transfer_from` lowers it by the units moved.
//   - A transfer of zero units, or to oneself, is refused: it would only add noise
//     to the ledger's history.
//   - A holder whose balance falls to zero is removed from `balances`, so the map
//     lists exactly the parties that hold something.
//
// Invariants: the balances add up to the supply; the supply never passes the cap.
//
// Scenarios (in the contract)
//   1. the issuer mints, holders transfer; an overdraft and a mint by a holder are
//      refused and change nothing.
//   2. an allowance is spent in two steps, refused once exhausted, and lapses after
//      its date.
//   3. the cap holds: minting past it is refused; burning makes room again.
//   4. every entry's owner: a stranger cannot burn, mint or spend someone's units.

contract Token {
    party issuer

    param name: Text
    param symbol: Text
    param max_supply: Int = 0          // 0: no cap

    record Allowance { owner: Party, spender: Party }
    record Limit { units: Int, until: Date }

    state balances: Map[Party, Int]
    state allowances: Map[Allowance, Limit]
    state supply: Int = 0

    event Minted(to: Party, units: Int)
    event Burnt(from: Party, units: Int)
    event Transferred(from: Party, to: Party, units: Int)
    event Approved(owner: Party, spender: Party, units: Int, until: Date)

    invariant sum(balances) == supply, "the balances add up to the supply"
    invariant max_supply == 0 or supply <= max_supply, "the supply stays under the cap"

    init {
        require max_supply >= 0, "the cap cannot be negative"
    }

    fn held(p: Party) -> Int {
        return balances.get(p, 0)
    }

    entry mint(to: Party, units: Int) by issuer {
        require units > 0, "mint a positive number of units"
        require max_supply == 0 or supply + units <= max_supply, "the cap would be exceeded"
        balances[to] = held(to) + units
        supply += units
        emit Minted(to, units)
    }

    entry burn(units: Int) by issuer {
        require units > 0, "burn a positive number of units"
        require held(caller) >= units, "insufficient units"
        let left = held(caller) - units
        if left == 0 {
            balances.remove(caller)
        } else {
            balances[caller] = left
        }
        supply -= units
        emit Burnt(caller, units)
    }

    entry transfer(to: Party, units: Int) by anyone {
        require units > 0, "transfer a positive number of units"
        require to != caller, "a transfer to oneself"
        require held(caller) >= units, "insufficient units"
        let left = held(caller) - units
        if left == 0 {
            balances.remove(caller)
        } else {
            balances[caller] = left
        }
        balances[to] = held(to) + units
        emit Transferred(caller, to, units)
    }

    entry approve(spender: Party, units: Int, until: Date) by anyone {
        require units >= 0, "an allowance cannot be negative"
        require spender != caller, "a holder needs no allowance for itself"
        allowances[Allowance(caller, spender)] = Limit(units, until)
        emit Approved(caller, spender, units, until)
    }

    entry transfer_from(owner: Party, to: Party, units: Int) by anyone {
        let key = Allowance(owner, caller)
        require key in allowances, "no allowance from this holder"
        let limit = allowances[key]
        require date(now) <= limit.until, "the allowance has lapsed"
        require units > 0, "transfer a positive number of units"
        require units <= limit.units, "beyond the allowance"
        require to != owner, "a transfer to oneself"
        require held(owner) >= units, "insufficient units"
        allowances[key].units = limit.units - units
        let left = held(owner) - units
        if left == 0 {
            balances.remove(owner)
        } else {
            balances[owner] = left
        }
        balances[to] = held(to) + units
        emit Transferred(owner, to, units)
    }

    // For other contracts: `call points.balance_of(p)`.
    entry balance_of(holder: Party) by anyone -> Int {
        return held(holder)
    }

    scenario "mint and transfer; an overdraft changes nothing" {
        deploy Token(name: "Green Miles", symbol: "GRM", issuer: airline)
        call mint(alice, 1_000) by airline
        call transfer(bob, 400) by alice
        call transfer(carol, 600) by alice          // alice's last units: she leaves the map
        expect balances[bob] == 400
        expect balances[carol] == 600
        expect not (alice in balances)
        expect fails call transfer(carol, 401) by bob with "insufficient units"
        expect fails call mint(bob, 10) by bob with "permission denied"
        expect fails call transfer(bob, 0) by carol
        expect fails call transfer(carol, 1) by carol with "oneself"
        expect balances[bob] == 400                 // unchanged by the refused calls
        expect balances[carol] == 600
        expect supply == 1_000
    }

    scenario "an allowance is spent, exhausted, and lapses" {
        deploy Token(name: "Green Miles", symbol: "GRM", issuer: airline)
        call mint(alice, 500) by airline
        call approve(shop, 300, 2026-01-31) by alice
        call transfer_from(alice, shop, 200) by shop
        call transfer_from(alice, hotel, 100) by shop
        expect allowances[Allowance(alice, shop)].units == 0
        expect fails call transfer_from(alice, shop, 1) by shop with "beyond the allowance"   // twice over
        call approve(shop, 50, 2026-01-31) by alice  // replaced, not added to
        at 2026-01-31T23:59Z
        call transfer_from(alice, shop, 10) by shop  // the last day still counts
        at 2026-02-01T00:00Z
        expect fails call transfer_from(alice, shop, 10) by shop with "lapsed"
        expect balances[alice] == 190               // 500 - 200 - 100 - 10
        expect balances[shop] == 210
        expect balances[hotel] == 100
        expect allowances[Allowance(alice, shop)].units == 40
    }

    scenario "the cap holds; burning makes room" {
        deploy Token(name: "Fund units", symbol: "FND", max_supply: 1_000, issuer: manager)
        call mint(manager, 900) by manager
        expect fails call mint(alice, 101) by manager with "cap"
        call mint(alice, 100) by manager
        expect supply == 1_000
        call burn(300) by manager
        expect fails call burn(601) by manager with "insufficient units"
        call mint(bob, 300) by manager
        expect supply == 1_000
        expect balances[manager] == 600
        expect fails deploy Token(name: "Bad", symbol: "BAD", max_supply: -1, issuer: manager)
    }

    scenario "nobody moves another's units" {
        deploy Token(name: "Green Miles", symbol: "GRM", issuer: airline)
        call mint(alice, 100) by airline
        expect fails call transfer_from(alice, mallory, 50) by mallory with "no allowance"
        expect fails call burn(100) by alice with "permission denied"   // only the issuer burns
        call approve(bob, 30, 2026-06-30) by alice
        expect fails call transfer_from(alice, mallory, 30) by mallory // the allowance is bob's
        expect balances[alice] == 100
        expect not (mallory in balances)
        expect supply == 100
    }
}
