// provenance: a private registry of diamonds (members read, members write): each
// stone's characteristics, its grading certificates, its conflict-free origin and
// its chain of ownership among the registry's members.
//
// Parties
//   operator (party)  runs the registry (a bourse, or an industry consortium):
//                     admits and expels members, accredits laboratories, earns the
//                     `levy` on each sale, and may flag or clear a stolen stone.
//   members (role)    miners, cutters, dealers, jewellers: register stones they
//                     own, offer them to other members, buy them.
//   labs (role)       grading laboratories (GIA, HRD, IGI): issue certificates.
//   auditors (role)   the Kimberley Process authority and the regulator: read the
//                     sensitive fields.
//
// Sensitive fields are `visible to` the operator and the auditors only: who owns
// which stone (a security matter for the trade) and what each sale fetched (prices
// are confidential between the parties). The stones' characteristics and
// certificates are visible to every member, so a buyer can check what it buys.
//
// Decisions
//   - A stone is identified by its laser inscription; it is registered once, by
//     its owner, with the number of the Kimberley Process certificate that
//     accompanied it out of its country of origin (no certificate, no entry).
//   - Weights are in hundredths of a carat (152 for 1.52 ct): whole numbers, no
//     rounding. A stone never gains weight: a new certificate may only state the
//     same weight or less (a recut), never more.
//   - Colour is one letter, D to Z; clarity and cut use the laboratories' scales.
//   - The current grade is the latest certificate's; all certificates are kept.
//   - A sale: the owner offers the stone to one member at a price, valid for
//     `offer_validity` (inclusive); the buyer accepts by paying the price exactly;
//     the levy, price x `levy`, rounded down to the cent, goes to the operator, the
//     rest to the seller, and the buyer becomes the owner, in one transaction. A
//     new offer replaces the previous one.
//   - Both parties must be members when the buyer accepts: an expelled member
//     can neither buy nor sell.
//   - A stone reported stolen (by its owner or the operator) cannot be offered or
//     sold until the operator clears it.
//
// Invariant: the registry never holds money.
//
// Scenarios (in the contract)
//   1. mined, certified, sold twice: the levy to the cent (figures below).
//   2. only members trade: offers to outsiders, expelled members, wrong payments.
//   3. a stolen stone cannot be sold until it is cleared.
//   4. only labs certify, a stone never gains weight, offers expire.

contract DiamondRegistry {
    party operator
    role members
    role labs
    role auditors

    param name: Text
    param levy: Rate = 0.25%
    param offer_validity: Duration = 7d

    enum Clarity { FL, IF, VVS1, VVS2, VS1, VS2, SI1, SI2, I1, I2, I3 }
    enum Cut { Excellent, VeryGood, Good, Fair, Poor, Rough }
    record Grade { weight: Int, colour: Text, clarity: Clarity, cut: Cut }
    record Certificate { lab: Party, number: Text, issued: Date, grade: Grade }
    record Stone { origin: Text, registered: Date, grade: Grade, certified: Bool, stolen: Bool }
    record Offer { buyer: Party, price: Money, until: Time }
    record Sale { seller: Party, buyer: Party, on: Date, price: Money, levy: Money }

    state stones: Map[Text, Stone]
    state certificates: Map[Text, List[Certificate]]
    state owners: Map[Text, Party] visible to operator, auditors
    state kimberley: Map[Text, Text] visible to operator, auditors
    state offers: Map[Text, Offer] visible to operator, auditors
    state sales: Map[Text, List[Sale]] visible to operator, auditors
    state levies: Money = 0 EUR

    event Registered(stone: Text, origin: Text, weight: Int)
    event Certified(stone: Text, lab: Party, number: Text)
    event Offered(stone: Text)
    event Sold(stone: Text)
    event Flagged(stone: Text, stolen: Bool)

    invariant balance == 0 EUR, "the registry never holds money"

    fn valid_colour(colour: Text) -> Bool {
        return len(colour) == 1 and colour in "DEFGHIJKLMNOPQRSTUVWXYZ"
    }

    entry admit(member: Party) by operator {
        grant members to member
    }

    entry expel(member: Party) by operator {
        revoke members from member
    }

    entry accredit(lab: Party) by operator {
        grant labs to lab
    }

    entry register(stone: Text, origin: Text, kp_certificate: Text, weight: Int) by members {
        require not (stone in stones), "this stone is already registered"
        require kp_certificate != "", "no Kimberley Process certificate, no entry"
        require weight > 0, "the weight must be positive"
        stones[stone] = Stone(origin, date(now), Grade(weight, "", Clarity.I3, Cut.Rough), false, false)
        owners[stone] = caller
        kimberley[stone] = kp_certificate
        let none: List[Certificate] = []
        certificates[stone] = none
        let no_sales: List[Sale] = []
        sales[stone] = no_sales
        emit Registered(stone, origin, weight)
    }

    entry certify(stone: Text, number: Text, weight: Int, colour: Text, clarity: Clarity, cut: Cut) by labs {
        let s = stones[stone]
        require weight > 0 and weight <= s.grade.weight, "a stone never gains weight"
        require valid_colour(colour), "colour is one letter, D to Z"
        let grade = Grade(weight, colour, clarity, cut)
        certificates[stone].append(Certificate(caller, number, date(now), grade))
        stones[stone].grade = grade
        stones[stone].certified = true
        emit Certified(stone, caller, number)
    }

    entry offer(stone: Text, buyer: Party, price: Money) by members {
        require owners[stone] == caller, "only the owner offers a stone"
        require not stones[stone].stolen, "this stone is reported stolen"
        require buyer in members and buyer != caller, "offers go to another member"
        require price > 0 EUR, "the price must be positive"
        offers[stone] = Offer(buyer, price, now + offer_validity)
        emit Offered(stone)
    }

    entry accept(stone: Text) by members pays any {
        require stone in offers, "this stone is not on offer"
        let o = offers[stone]
        let seller = owners[stone]
        require caller == o.buyer, "the offer was made to another member"
        require now <= o.until, "the offer has expired"
        require not stones[stone].stolen, "this stone is reported stolen"
        require seller in members, "the seller is no longer a member"
        require received == o.price, "pay the offered price exactly"
        let fee = received * levy
        pay fee to operator
        pay received - fee to seller
        owners[stone] = caller
        offers.remove(stone)
        sales[stone].append(Sale(seller, caller, date(now), received, fee))
        levies += fee
        emit Sold(stone)
    }

    entry report_stolen(stone: Text) by members, operator {
        require caller == operator or owners[stone] == caller, "only the owner or the operator reports a theft"
        stones[stone].stolen = true
        if stone in offers {
            offers.remove(stone)
        }
        emit Flagged(stone, true)
    }

    entry clear(stone: Text) by operator {
        require stones[stone].stolen, "this stone is not reported stolen"
        stones[stone].stolen = false
        emit Flagged(stone, false)
    }

    scenario "mined, certified, sold twice: the levy to the cent" {
        fund cutter 60_000 EUR
        fund jeweller 70_000 EUR
        deploy DiamondRegistry(name: "Antwerp Diamond Registry", levy: 0.25%, operator: bourse,
                               members: [miner, cutter, jeweller], labs: [hrd], auditors: [kp_authority])
        call register("LI-2231-55871", "Botswana", "BW-KP-2026-004417", 310) by miner   // 3.10 ct rough
        call certify("LI-2231-55871", "HRD-26004417", 310, "G", Clarity.VS2, Cut.Rough) by hrd
        call offer("LI-2231-55871", cutter, 48_500 EUR) by miner
        call accept("LI-2231-55871") by cutter paying 48_500 EUR
        // levy 48_500.00 x 0.25% = 121.25; the miner receives 48_378.75
        expect balance(miner) == 48_378.75 EUR
        expect balance(bourse) == 121.25 EUR
        expect owners["LI-2231-55871"] == cutter
        call certify("LI-2231-55871", "HRD-26009120", 152, "F", Clarity.VS1, Cut.Excellent) by hrd   // cut: 1.52 ct
        expect stones["LI-2231-55871"].grade.weight == 152
        expect len(certificates["LI-2231-55871"]) == 2
        call offer("LI-2231-55871", jeweller, 61_234.56 EUR) by cutter
        call accept("LI-2231-55871") by jeweller paying 61_234.56 EUR
        // levy 61_234.56 x 0.25% = 153.0864 -> 153.08; the cutter receives 61_081.48
        expect balance(cutter) == 72_581.48 EUR          // 60_000.00 - 48_500.00 + 61_081.48
        expect balance(bourse) == 274.33 EUR             // 121.25 + 153.08
        expect balance(jeweller) == 8_765.44 EUR         // 70_000.00 - 61_234.56
        expect owners["LI-2231-55871"] == jeweller
        expect len(sales["LI-2231-55871"]) == 2
        expect sales["LI-2231-55871"][1].levy == 153.08 EUR
        expect levies == 274.33 EUR
    }

    scenario "only members trade" {
        fund cutter 60_000 EUR
        fund outsider 60_000 EUR
        deploy DiamondRegistry(name: "Antwerp Diamond Registry", operator: bourse,
                               members: [miner, cutter], labs: [hrd], auditors: [kp_authority])
        expect fails call register("X-1", "Unknown", "", 100) by miner with "Kimberley"
        expect fails call register("X-1", "Sierra Leone", "SL-KP-1", 100) by outsider with "permission denied"
        call register("LI-2231-55871", "Botswana", "BW-KP-2026-004417", 152) by miner
        expect fails call register("LI-2231-55871", "Botswana", "BW-KP-2026-004418", 152) by cutter with "already registered"
        expect fails call offer("LI-2231-55871", outsider, 40_000 EUR) by miner with "another member"
        expect fails call offer("LI-2231-55871", cutter, 40_000 EUR) by cutter with "only the owner"
        call offer("LI-2231-55871", cutter, 65_000 EUR) by miner
        expect fails call accept("LI-2231-55871") by cutter paying 65_000 EUR with "insufficient balance"
        call offer("LI-2231-55871", cutter, 40_000 EUR) by miner     // replaces the first offer
        expect fails call accept("LI-2231-55871") by outsider paying 40_000 EUR with "permission denied"
        expect fails call accept("LI-2231-55871") by cutter paying 39_999.99 EUR with "exactly"
        call expel(miner) by bourse
        expect fails call accept("LI-2231-55871") by cutter paying 40_000 EUR with "no longer a member"
        call admit(miner) by bourse
        call expel(cutter) by bourse
        expect fails call accept("LI-2231-55871") by cutter paying 40_000 EUR with "permission denied"
        expect owners["LI-2231-55871"] == miner                  // nothing moved
        expect balance(cutter) == 60_000 EUR
        expect balance(miner) == 0 EUR
        expect fails call admit(outsider) by miner with "permission denied"
    }

    scenario "a stolen stone cannot be sold until it is cleared" {
        fund jeweller 20_000 EUR
        deploy DiamondRegistry(name: "Antwerp Diamond Registry", operator: bourse,
                               members: [dealer, jeweller], labs: [igi], auditors: [kp_authority])
        call register("IGI-LG-5590", "Canada", "CA-KP-2026-000311", 101) by dealer
        call offer("IGI-LG-5590", jeweller, 9_999.99 EUR) by dealer
        expect fails call report_stolen("IGI-LG-5590") by jeweller with "only the owner"
        call report_stolen("IGI-LG-5590") by dealer
        expect fails call accept("IGI-LG-5590") by jeweller paying 9_999.99 EUR with "not on offer"
        expect fails call offer("IGI-LG-5590", jeweller, 9_999.99 EUR) by dealer with "stolen"
        expect fails call clear("IGI-LG-5590") by dealer with "permission denied"
        call clear("IGI-LG-5590") by bourse
        expect fails call clear("IGI-LG-5590") by bourse with "not reported"      // twice
        call offer("IGI-LG-5590", jeweller, 9_999.99 EUR) by dealer
        call accept("IGI-LG-5590") by jeweller paying 9_999.99 EUR
        // levy 9_999.99 x 0.25% = 24.999975 -> 24.99; the dealer receives 9_975.00
        expect balance(dealer) == 9_975 EUR
        expect balance(bourse) == 24.99 EUR
        expect fails call accept("IGI-LG-5590") by jeweller paying 9_999.99 EUR with "not on offer"   // twice
        expect balance(jeweller) == 10_000.01 EUR
    }

    scenario "only labs certify; a stone never gains weight; offers expire" {
        fund cutter 30_000 EUR
        deploy DiamondRegistry(name: "Antwerp Diamond Registry", operator: bourse,
                               members: [miner, cutter], labs: [hrd], auditors: [kp_authority], offer_validity: 7d)
        call register("HRD-0001", "Namibia", "NA-KP-2026-000090", 250) by miner
        expect fails call certify("HRD-0001", "FAKE-1", 250, "D", Clarity.FL, Cut.Excellent) by miner with "permission denied"
        expect fails call certify("HRD-0001", "HRD-1", 251, "E", Clarity.IF, Cut.Excellent) by hrd with "gains weight"
        expect fails call certify("HRD-0001", "HRD-1", 250, "DE", Clarity.IF, Cut.Excellent) by hrd with "colour"
        expect fails call certify("HRD-0001", "HRD-1", 250, "A", Clarity.IF, Cut.Excellent) by hrd with "colour"
        expect not stones["HRD-0001"].certified
        call accredit(gia) by bourse
        call certify("HRD-0001", "GIA-7788", 250, "E", Clarity.IF, Cut.VeryGood) by gia
        expect stones["HRD-0001"].grade.clarity == Clarity.IF
        at 2026-03-01T12:00Z
        call offer("HRD-0001", cutter, 25_000 EUR) by miner
        at 2026-03-08T12:00:01Z                       // seven days and one second later
        expect fails call accept("HRD-0001") by cutter paying 25_000 EUR with "expired"
        call offer("HRD-0001", cutter, 24_000 EUR) by miner     // a new offer replaces the old one
        call accept("HRD-0001") by cutter paying 24_000 EUR
        // levy 24_000.00 x 0.25% = 60.00
        expect balance(miner) == 23_940 EUR
        expect owners["HRD-0001"] == cutter
    }
}
