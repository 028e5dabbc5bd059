// Hail cover on a surveillance chain: anyone reports, only the insurer reads, and the
// contract acts only on its declared oracle.
//
// The chain is created with `--preset surveillance` (members read, open write): any
// signed key may submit a `report` transaction (a farmer, a neighbour, a weather
// station that is not under contract), but only the chain's members read the state,
// blocks and events. The contract itself decides what a report is worth: a report by
// a member of its `oracle` role settles the cover; anyone else's is kept as a tip
// (counted and emitted, so the insurer can look into it) and moves no money.
//
// Parties
//   insurer (role)  funds the cover at deploy and reads the tips.
//   oracle (role)   the weather service whose reports settle the cover.
//   farmer          is paid `payout` once, when the oracle reports hail.
//
// docs/permissions.md walks through this contract on a real surveillance chain.

contract HailCover {
    role insurer
    role oracle
    party farmer

    param payout: Money

    state paid: Bool = false
    state tips: Int = 0
    state last_tip: Text = "" visible to insurer

    event Tip(by: Party, region: Text)
    event Confirmed(region: Text, hail: Bool)
    event Paid(to: Party, amount: Money)

    invariant paid or balance >= payout

    entry report(region: Text, hail: Bool) by anyone {
        if caller in oracle {
            emit Confirmed(region, hail)
            if hail and not paid {
                paid = true
                pay payout to farmer
                emit Paid(farmer, payout)
            }
        } else {
            tips += 1
            last_tip = region
            emit Tip(caller, region)
        }
    }

    scenario "only the oracle's report pays" {
        fund axa 500 EUR
        deploy HailCover(payout: 500 EUR, insurer: [axa], oracle: [meteo], farmer: ferme) by axa paying 500 EUR
        call report("Beauce", true) by ferme        // the farmer's own report: a tip, no payout
        call report("Beauce", true) by voisin       // a neighbour's: another tip
        expect tips == 2
        expect balance(ferme) == 0 EUR
        call report("Beauce", false) by meteo       // the oracle: no hail, nothing paid
        expect balance(ferme) == 0 EUR
        call report("Beauce", true) by meteo        // the oracle: hail, the farmer is paid
        call report("Beauce", true) by meteo        // a repeated report pays nothing
        expect balance(ferme) == 500 EUR
        expect paid
    }
}
