// supply: traceability of lots along a supply chain, from the producer's mark to
// the shelf, through custody transfers and repackaging, with a provenance query
// and counterfeit detection.
//
// Parties
//   authority (party)    the scheme owner or certification body (a PDO consortium,
//                        Fairtrade, the Rainforest Alliance): registers producers,
//                        strikes them off, and appoints inspectors.
//   producers (role)     mark new lots at origin (a harvest, a day's production).
//   inspectors (role)    customs and fraud-control officers: inspect lots.
//   holders              whoever has custody of a lot: transfers it, splits it into
//                        smaller lots, merges lots of one product into one.
//   anyone               may also declare a lot that enters the chain without a
//                        producer's mark (an import, a trader's stock): such a lot
//                        is recorded, and its unmarked origin shows at inspection.
//
// A lot's history is a graph: a split lot is the parent of each part, merged lots
// are the parents of the merged lot. `provenance(lot)` walks the graph back from
// the lot to its origins and returns every lot it reached; `origins(lot)` the lots
// at the start of the chain.
//
// Decisions
//   - Quantities are whole units of the scheme's `unit` (kg, bottles, wheels): no
//     rounding anywhere. A split must account for the whole lot, in at least two
//     positive parts; a merge takes at least two distinct lots of the same
//     product, all held by the caller.
//   - A lot that was split or merged is consumed: it no longer moves, and only
//     its parts or the merged lot carry its history on.
//   - The walk is breadth first: the lot itself, then its parents in the order
//     they were listed, then theirs, each lot once. Origins come out in that order.
//   - Counterfeit: a lot is authentic when every one of its origins was marked by a
//     party that is a registered producer at the time of the inspection. A declared
//     origin, or a producer struck off since, makes the lot counterfeit, and with
//     it every lot made from it (a merge of good and bad stock is bad).
//   - An inspection records its result; a lot found counterfeit is flagged and
//     quarantined (it can no longer move, be split or be merged), the lots it was
//     made from keep their own status.
//
// Invariant: every lot ever created has a custody record, and lot numbers are
// dense (0 .. count - 1).
//
// Scenarios (in the contract)
//   1. coffee from two cooperatives: split at the exporter, blended at the roaster;
//      the blend's provenance walks back to both harvests.
//   2. a declared lot is mixed into good stock: the blend is found counterfeit and
//      quarantined.
//   3. a producer struck off: its lots fail inspection from then on.
//   4. custody rules: only holders move lots, splits and merges must add up;
//      refused calls change nothing.

contract Traceability {
    party authority
    role producers
    role inspectors

    param scheme: Text
    param unit: Text = "kg"

    enum Origin { Marked, Declared, Split, Merged }
    record Lot {
        product: Text
        quantity: Int
        holder: Party
        origin: Origin
        maker: Party            // the producer that marked it, or who declared, split or merged it
        parents: List[Int]
        created: Date
        active: Bool
    }
    record Custody { from: Party, to: Party, on: Date }
    record Inspection { on: Date, inspector: Party, trail: List[Int], origins: List[Int], authentic: Bool, reason: Text }

    state lots: Map[Int, Lot]
    state custody: Map[Int, List[Custody]]
    state inspections: Map[Int, Inspection]
    state quarantined: Map[Int, Bool]
    state count: Int = 0

    event Marked(lot: Int, producer: Party, product: Text, quantity: Int)
    event Declared(lot: Int, declarer: Party, product: Text, quantity: Int)
    event Moved(lot: Int, from: Party, to: Party)
    event Repackaged(parents: List[Int], lots: List[Int])
    event Counterfeit(lot: Int, reason: Text)

    invariant len(lots) == count, "lot numbers are dense"
    invariant len(custody) == count, "every lot has a custody record"

    fn ancestry(lot: Int) -> List[Int] {
        let trail: List[Int] = [lot]
        let i = 0
        while i < len(trail) {
            for parent in lots[trail[i]].parents {
                if not trail.contains(parent) {
                    trail.append(parent)
                }
            }
            i += 1
        }
        return trail
    }

    fn roots(trail: List[Int]) -> List[Int] {
        let out: List[Int] = []
        for l in trail {
            if len(lots[l].parents) == 0 {
                out.append(l)
            }
        }
        return out
    }

    // Why the lot is counterfeit, or "" if every origin is a registered producer's mark.
    fn flaw(origins: List[Int]) -> Text {
        for l in origins {
            let o = lots[l]
            if o.origin != Origin.Marked {
                return "an origin lot was declared, not marked by a producer"
            }
            if not (o.maker in producers) {
                return "an origin lot was marked by a party that is not a registered producer"
            }
        }
        return ""
    }

    fn create(product: Text, quantity: Int, origin: Origin, parents: List[Int]) -> Lot {
        return Lot(product, quantity, caller, origin, caller, parents, date(now), true)
    }

    entry register_producer(p: Party) by authority {
        grant producers to p
    }

    entry strike_off(p: Party) by authority {
        revoke producers from p
    }

    entry appoint_inspector(p: Party) by authority {
        grant inspectors to p
    }

    entry mark(product: Text, quantity: Int) by producers -> Int {
        require quantity > 0, "a lot holds a positive quantity"
        let id = count
        let none: List[Int] = []
        lots[id] = create(product, quantity, Origin.Marked, none)
        custody[id] = [Custody(caller, caller, date(now))]
        count += 1
        emit Marked(id, caller, product, quantity)
        return id
    }

    entry declare(product: Text, quantity: Int) by anyone -> Int {
        require quantity > 0, "a lot holds a positive quantity"
        let id = count
        let none: List[Int] = []
        lots[id] = create(product, quantity, Origin.Declared, none)
        custody[id] = [Custody(caller, caller, date(now))]
        count += 1
        emit Declared(id, caller, product, quantity)
        return id
    }

    entry transfer(lot: Int, to: Party) by anyone {
        let l = lots[lot]
        require caller == l.holder, "only the holder hands a lot over"
        require l.active, "this lot was split or merged: its parts carry it on"
        require not (lot in quarantined), "this lot is quarantined"
        require to != caller, "a transfer to oneself"
        lots[lot].holder = to
        custody[lot].append(Custody(caller, to, date(now)))
        emit Moved(lot, caller, to)
    }

    entry split(lot: Int, quantities: List[Int]) by anyone -> List[Int] {
        let l = lots[lot]
        require caller == l.holder, "only the holder repackages a lot"
        require l.active, "this lot was already split or merged"
        require not (lot in quarantined), "this lot is quarantined"
        require len(quantities) >= 2, "a split makes at least two lots"
        let total = 0
        for q in quantities {
            require q > 0, "every part holds a positive quantity"
            total += q
        }
        require total == l.quantity, "the parts must add up to the lot"
        lots[lot].active = false
        let made: List[Int] = []
        for q in quantities {
            let id = count
            lots[id] = create(l.product, q, Origin.Split, [lot])
            custody[id] = [Custody(caller, caller, date(now))]
            made.append(id)
            count += 1
        }
        emit Repackaged([lot], made)
        return made
    }

    entry merge(parts: List[Int]) by anyone -> Int {
        require len(parts) >= 2, "a merge takes at least two lots"
        let first = lots[parts[0]]
        let total = 0
        let seen: List[Int] = []
        for p in parts {
            require not seen.contains(p), "a lot is listed twice"
            seen.append(p)
            let l = lots[p]
            require caller == l.holder, "only the holder repackages a lot"
            require l.active, "this lot was already split or merged"
            require not (p in quarantined), "this lot is quarantined"
            require l.product == first.product, "only lots of one product merge"
            total += l.quantity
        }
        for p in parts {
            lots[p].active = false
        }
        let id = count
        lots[id] = create(first.product, total, Origin.Merged, parts)
        custody[id] = [Custody(caller, caller, date(now))]
        count += 1
        emit Repackaged(parts, [id])
        return id
    }

    // Every lot `lot` comes from, itself first, breadth first.
    entry provenance(lot: Int) by anyone -> List[Int] {
        require lot in lots, "no such lot"
        return ancestry(lot)
    }

    entry origins(lot: Int) by anyone -> List[Int] {
        require lot in lots, "no such lot"
        return roots(ancestry(lot))
    }

    entry inspect(lot: Int) by inspectors -> Bool {
        require lot in lots, "no such lot"
        let trail = ancestry(lot)
        let found = roots(trail)
        let reason = flaw(found)
        let authentic = reason == ""
        inspections[lot] = Inspection(date(now), caller, trail, found, authentic, reason)
        if not authentic {
            quarantined[lot] = true
            emit Counterfeit(lot, reason)
        }
        return authentic
    }

    scenario "coffee from two cooperatives, split and blended, walked back to both harvests" {
        deploy Traceability(scheme: "Fairtrade coffee", authority: flocert, producers: [coop_huila, coop_sidama],
                            inspectors: [customs])
        call mark("green coffee, washed arabica", 1_200) by coop_huila      // lot 0
        call mark("green coffee, washed arabica", 300) by coop_sidama       // lot 1
        call transfer(0, exporter) by coop_huila
        call split(0, [700, 500]) by exporter                              // lots 2 and 3
        call transfer(3, roaster) by exporter
        call transfer(1, roaster) by coop_sidama
        call merge([3, 1]) by roaster                                      // lot 4: 800 kg
        expect lots[4].quantity == 800
        expect lots[4].parents == [3, 1]
        expect not lots[0].active
        call transfer(4, cafe) by roaster
        call provenance(4) by cafe                                         // returns [4, 3, 1, 0]
        call inspect(4) by customs
        // breadth first: 4; its parents 3 and 1; 3's parent 0; 1 and 0 have none
        expect inspections[4].trail == [4, 3, 1, 0]
        expect inspections[4].origins == [1, 0]
        expect inspections[4].authentic
        expect lots[4].holder == cafe
        expect len(custody[4]) == 2
        expect custody[0][1].to == exporter
    }

    scenario "a declared lot mixed into good stock is found counterfeit" {
        deploy Traceability(scheme: "Comte PDO", unit: "wheels", authority: cigc, producers: [fruitiere_a],
                            inspectors: [dgccrf])
        call mark("Comte 18 months", 40) by fruitiere_a                    // lot 0
        call transfer(0, affineur) by fruitiere_a
        call declare("Comte 18 months", 25) by affineur                    // lot 1: no producer's mark
        call merge([0, 1]) by affineur                                     // lot 2: 40 + 25 = 65 wheels
        call split(2, [50, 15]) by affineur                                // lots 3 and 4: 50 + 15 = 65
        call inspect(3) by dgccrf
        // the walk from lot 3: 3; its parent 2; 2's parents 0 and 1, in the order merged
        expect inspections[3].trail == [3, 2, 0, 1]
        expect not inspections[3].authentic
        expect inspections[3].reason == "an origin lot was declared, not marked by a producer"
        expect inspections[3].origins == [0, 1]
        expect fails call transfer(3, supermarket) by affineur with "quarantined"
        expect fails call split(3, [25, 25]) by affineur with "quarantined"
        expect lots[3].holder == affineur                                  // unchanged
        call transfer(4, supermarket) by affineur                          // not inspected yet
        call inspect(4) by dgccrf
        expect not inspections[4].authentic
        call mark("Comte 18 months", 10) by fruitiere_a                    // lot 5
        call inspect(5) by dgccrf
        expect inspections[5].authentic
        expect fails call inspect(5) by affineur with "permission denied"
    }

    scenario "a producer struck off: its lots fail inspection from then on" {
        deploy Traceability(scheme: "Label Rouge poultry", unit: "birds", authority: syvol, producers: [farm_a, farm_b],
                                inspectors: [dgccrf])
        call mark("free-range chicken", 500) by farm_a                     // lot 0
        call mark("free-range chicken", 400) by farm_b                     // lot 1
        call inspect(1) by dgccrf
        expect inspections[1].authentic
        expect fails call strike_off(farm_b) by farm_a with "permission denied"
        call strike_off(farm_b) by syvol
        expect fails call mark("free-range chicken", 100) by farm_b with "permission denied"
        call inspect(1) by dgccrf
        expect not inspections[1].authentic
        expect inspections[1].reason == "an origin lot was marked by a party that is not a registered producer"
        call inspect(0) by dgccrf
        expect inspections[0].authentic
        call register_producer(farm_c) by syvol
        call mark("free-range chicken", 250) by farm_c
        expect count == 3
    }

    scenario "only holders move lots; splits and merges must add up" {
        deploy Traceability(scheme: "Fairtrade cocoa", authority: flocert, producers: [coop_a], inspectors: [customs])
        call mark("cocoa beans", 1_000) by coop_a                          // lot 0
        call mark("cocoa beans", 600) by coop_a                            // lot 1
        call mark("cocoa butter", 200) by coop_a                           // lot 2
        expect fails call mark("cocoa beans", 1) by trader with "permission denied"
        expect fails call mark("cocoa beans", 0) by coop_a with "positive"
        expect fails call transfer(0, trader) by trader with "only the holder"
        expect fails call split(0, [600, 300]) by coop_a with "add up"
        expect fails call split(0, [1_000]) by coop_a with "at least two"
        expect fails call split(0, [1_001, -1]) by coop_a with "positive"
        expect fails call merge([0, 2]) by coop_a with "one product"
        expect fails call merge([0, 0]) by coop_a with "twice"
        call transfer(1, trader) by coop_a
        expect fails call merge([0, 1]) by coop_a with "only the holder"
        call split(0, [400, 600]) by coop_a                                // lots 3 and 4
        expect fails call transfer(0, trader) by coop_a with "split or merged"
        expect fails call merge([0, 3]) by coop_a with "already split"
        expect fails call provenance(99) by anyone_else with "no such lot"
        expect count == 5                                                  // only the successful calls made lots
        expect lots[1].holder == trader
        expect lots[2].holder == coop_a
        expect lots[3].quantity + lots[4].quantity == 1_000
    }
}
