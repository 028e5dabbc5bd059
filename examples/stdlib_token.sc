// Walkthrough of the `token` module: a loyalty programme on the stdlib Token,
// and a contract of our own that reads it.
//
// `import token` makes the module's contract, Token, available in this file, as
// if it were declared here. An airline issues "Green Miles" to its travellers;
// an airport lounge prices its day pass by the traveller's miles: the more miles,
// the bigger the discount. The lounge asks the token for a balance with
// `call miles.balance_of(caller)`, a call that returns a value.
//
// Run it:  tabellion run examples/stdlib_token.sc
//
// What to look at
//   - the lounge never holds miles and never moves them: it only reads them;
//   - the discount is computed in whole percent tiers, no rounding: 0, 20 or 50%.

import token

contract Lounge {
    party operator

    param miles: Token
    param day_pass: Money = 40 EUR

    state visits: Int = 0

    event Admitted(traveller: Party, paid: Money)

    fn price(held: Int) -> Money {
        if held >= 10_000 {
            return day_pass * 50%
        }
        if held >= 2_500 {
            return day_pass * 80%
        }
        return day_pass
    }

    entry enter() by anyone pays any {
        let held = call miles.balance_of(caller)
        require received == price(held), "pay the day pass for your tier exactly"
        pay received to operator
        visits += 1
        emit Admitted(caller, received)
    }
}

scenario "miles earned on flights price the lounge" {
    fund alice 100 EUR
    fund bob 100 EUR
    deploy miles = Token(name: "Green Miles", symbol: "GRM", issuer: airline)
    deploy lounge = Lounge(miles: miles, operator: cdg_lounges)
    call miles.mint(alice, 12_000) by airline             // a long-haul return
    call miles.mint(bob, 3_000) by airline
    call miles.transfer(bob, 500) by alice                // a gift between travellers
    expect miles.balances[alice] == 11_500
    expect miles.balances[bob] == 3_500
    expect fails call lounge.enter() by alice paying 40 EUR with "tier"
    call lounge.enter() by alice paying 20 EUR            // 10_000 miles or more: half price
    call lounge.enter() by bob paying 32 EUR              // 2_500 or more: 40.00 x 80%
    call miles.transfer(alice, 1_001) by bob              // bob falls to 2_499 miles
    expect fails call lounge.enter() by bob paying 32 EUR with "tier"
    call lounge.enter() by bob paying 40 EUR
    expect balance(cdg_lounges) == 92 EUR                 // 20.00 + 32.00 + 40.00
    expect lounge.visits == 3
    expect miles.supply == 15_000
}
