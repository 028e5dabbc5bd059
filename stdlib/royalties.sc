// royalties: a collecting society distributing performance royalties work by work
// to the right holders of each work, and co-publishing deals that re-split a
// publisher's share among the co-publishers.
//
// ---------------------------------------------------------------------------------
// Society: the collecting society (SACEM, PRS, GEMA, SIAE, ...).
//
// Parties
//   society    licenses broadcasters, venues and platforms, collects their fees,
//              identifies the works used, withholds its management fee
//              (`fee_rate`, paid to its own account) and distributes the rest. Only
//              it registers works and distributes.
//   right holders, by category (the society's documentation declares them):
//     lyricists (authors of the words), composers (of the music), arrangers, and
//     publishers: a publisher is either a party or a CoPublishing contract whose
//     co-publishers share the publisher's part.
//
// The distribution key of a work, in twelfths (the classic key of French and
// continental societies for performance rights):
//   - a work with words:    lyricists 4/12, composers 4/12, publishers 4/12;
//   - an instrumental work (no lyricist declared): composers 8/12, publishers 4/12;
//   - an arranger takes 1/12 out of the composers' share (composers 3/12, or 7/12
//     for an instrumental work, arrangers 1/12);
//   - a category with nobody declared drops out and the others are scaled up in
//     proportion (an unpublished song: lyricists 6/12, composers 6/12).
// Within a category the members share equally, unless unequal shares were
// declared: each member has a weight (1 by default in the scenarios: equal).
//
// Decisions
//   - The fee is received x fee_rate, rounded down to the cent; the society keeps
//     the cent, and the rest is distributed.
//   - Rounded level by level, each level by largest remainder (the rule of
//     Tabellion's `split`: shares rounded down to the cent, the cents left over one
//     each to the largest remainders, ties to the first listed):
//       level 1  the net amount among the categories, listed lyricists,
//                composers, arrangers, publishers;
//       level 2  each category's amount among its members, in the order they were
//                declared; in the publishers' category, publishers that are
//                parties come first, then co-publishing deals, each group in
//                declaration order;
//       level 3  a co-publishing deal re-splits what it received among its
//                co-publishers (by `split ... among`, the same rule, parties in
//                ascending name order).
//   - A work is distributed at most once per period (the period is a label such as
//     "2026-Q1"); a work needs at least one composer; an arranger needs a composer
//     to take its twelfth from.
//   - Holders added later take part in the distributions that follow, not in
//     earlier ones.
//
// Invariants: the society never holds money; what it collected equals its fees
// plus what it distributed.
//
// ---------------------------------------------------------------------------------
// CoPublishing: a co-publishing (or sub-publishing) agreement on a catalogue.
//
// Parties: the administrator (the lead publisher, who signed the deal) and the
// co-publishers in `shares` (party -> weight, e.g. 2 and 1 for a 2/3 - 1/3 deal).
// Anyone may pay into it (the society does): each payment is split at once.
//
// Scenarios
//   1. a song's first quarter: the fee, the thirds, and where the cent goes.
//   2. unequal composers, an arranger and a co-publishing deal, to the cent over
//      three levels.
//   3. an instrumental work and an unpublished song: the key adapts.
//   4. refusals: only the society, once per period, known works with a composer;
//      nothing changes.

contract CoPublishing {
    party administrator

    param catalogue: Text
    param shares: Map[Party, Int]

    state received_total: Money = 0 EUR
    state by_work: Map[Text, Money]

    event Split(iswc: Text, amount: Money)

    invariant balance == 0 EUR, "every payment is split at once"

    init {
        require len(shares) > 0, "at least one co-publisher"
        for p, weight in shares {
            require weight > 0, "each co-publisher's weight must be positive"
        }
    }

    entry distribute(iswc: Text) by anyone pays any {
        require received > 0 EUR, "nothing to split"
        split received among shares
        by_work[iswc] = by_work.get(iswc, 0 EUR) + received
        received_total += received
        emit Split(iswc, received)
    }
}

contract Society {
    party society

    param name: Text
    param fee_rate: Rate = 15%

    enum Category { Lyricist, Composer, Arranger, Publisher }
    record Holder { party: Party, category: Category, weight: Int }
    record Deal { contract: CoPublishing, weight: Int }
    record Work { title: Text, holders: List[Holder], deals: List[Deal] }
    record Run { iswc: Text, period: Text }

    state works: Map[Text, Work]                 // by ISWC
    state runs: Map[Run, Money]                  // what each work collected, period by period
    state earned: Map[Party, Money]              // what each right holder was paid, all works
    state deals_paid: Map[CoPublishing, Money]   // what each co-publishing deal was paid
    state collected: Money = 0 EUR
    state fees: Money = 0 EUR
    state distributed: Money = 0 EUR

    event Registered(iswc: Text, title: Text)
    event Declared(iswc: Text, party: Party, category: Category, weight: Int)
    event Distributed(iswc: Text, period: Text, collected: Money, fee: Money)
    event Paid(iswc: Text, party: Party, category: Category, amount: Money)

    invariant balance == 0 EUR, "the society never holds money"
    invariant collected == fees + distributed, "collected = fees + distributed"

    init {
        require fee_rate >= 0% and fee_rate < 100%, "a fee between 0% and 100%"
    }

    fn members(w: Work, c: Category) -> Int {
        let n = 0
        for h in w.holders {
            if h.category == c {
                n += 1
            }
        }
        if c == Category.Publisher {
            n += len(w.deals)
        }
        return n
    }

    // The key in twelfths, listed lyricists, composers, arrangers, publishers.
    fn key(w: Work) -> List[Rate] {
        let lyricists = 0
        let composers = 8
        if members(w, Category.Lyricist) > 0 {
            lyricists = 4
            composers = 4
        }
        let arrangers = 0
        if members(w, Category.Arranger) > 0 {
            arrangers = 1
            composers -= 1
        }
        let publishers = 0
        if members(w, Category.Publisher) > 0 {
            publishers = 4
        }
        return [ratio(lyricists, 12), ratio(composers, 12), ratio(arrangers, 12), ratio(publishers, 12)]
    }

    // Largest remainder: shares of `amount` pro rata to `weights`, rounded down to
    // the cent, the cents left over one each to the largest remainders, ties to the
    // first listed. A zero weight gets exactly nothing.
    fn pro_rata(amount: Money, weights: List[Rate]) -> List[Money] {
        let total = sum(weights)
        let shares: List[Money] = []
        let remainders: List[Rate] = []
        let given = 0 EUR
        for w in weights {
            let share = amount * (w / total)
            shares.append(share)
            remainders.append(amount / 0.01 EUR * (w / total) - share / 0.01 EUR)
            given += share
        }
        let left = amount - given
        while left > 0 EUR {
            let pick = 0
            for i, r in remainders {
                if r > remainders[pick] {
                    pick = i
                }
            }
            shares[pick] = shares[pick] + 0.01 EUR
            remainders[pick] = -100%
            left -= 0.01 EUR
        }
        return shares
    }

    entry register_work(iswc: Text, title: Text) by society {
        require not (iswc in works), "this ISWC is already registered"
        let none: List[Holder] = []
        let no_deals: List[Deal] = []
        works[iswc] = Work(title, none, no_deals)
        emit Registered(iswc, title)
    }

    entry declare(iswc: Text, holder: Party, category: Category, weight: Int) by society {
        require iswc in works, "unknown work"
        require weight > 0, "a share weight must be positive"
        for h in works[iswc].holders {
            require not (h.party == holder and h.category == category), "already declared in this category"
        }
        works[iswc].holders.append(Holder(holder, category, weight))
        emit Declared(iswc, holder, category, weight)
    }

    entry declare_copublishing(iswc: Text, deal: CoPublishing, weight: Int) by society {
        require iswc in works, "unknown work"
        require weight > 0, "a share weight must be positive"
        works[iswc].deals.append(Deal(deal, weight))
    }

    entry distribute(iswc: Text, period: Text) by society pays any {
        require iswc in works, "unknown work"
        let w = works[iswc]
        let run = Run(iswc, period)
        require not (run in runs), "this work was already distributed for this period"
        require received > 0 EUR, "nothing to distribute"
        require members(w, Category.Composer) > 0, "a work needs a composer"
        let fee = received * fee_rate
        pay fee to society
        let net = received - fee
        let categories = [Category.Lyricist, Category.Composer, Category.Arranger, Category.Publisher]
        let amounts = pro_rata(net, key(w))
        for i, c in categories {
            if amounts[i] > 0 EUR {
                let payees: List[Party] = []
                let weights: List[Rate] = []
                for h in w.holders {
                    if h.category == c {
                        payees.append(h.party)
                        weights.append(ratio(h.weight, 1))
                    }
                }
                if c == Category.Publisher {
                    for d in w.deals {
                        weights.append(ratio(d.weight, 1))
                    }
                }
                let shares = pro_rata(amounts[i], weights)
                for j, share in shares {
                    if share > 0 EUR {
                        if j < len(payees) {
                            pay share to payees[j]
                            earned[payees[j]] = earned.get(payees[j], 0 EUR) + share
                            emit Paid(iswc, payees[j], c, share)
                        } else {
                            let deal = w.deals[j - len(payees)].contract
                            call deal.distribute(iswc) paying share
                            deals_paid[deal] = deals_paid.get(deal, 0 EUR) + share
                        }
                    }
                }
            }
        }
        runs[run] = received
        collected += received
        fees += fee
        distributed += net
        emit Distributed(iswc, period, received, fee)
    }

    scenario "a song's first quarter: the fee, the thirds, and the cent" {
        fund sacem_bank 1_000 EUR
        deploy Society(name: "SACEM", fee_rate: 15%, society: sacem_bank)
        call register_work("T-345.246.800-1", "Quais de Nantes") by sacem_bank
        call declare("T-345.246.800-1", lea, Category.Lyricist, 1) by sacem_bank
        call declare("T-345.246.800-1", malik, Category.Composer, 1) by sacem_bank
        call declare("T-345.246.800-1", nord, Category.Publisher, 1) by sacem_bank
        call distribute("T-345.246.800-1", "2026-Q1") by sacem_bank paying 1_000 EUR
        // fee 15% of 1_000.00 = 150.00, kept by the society; net 850.00
        // 850.00 / 3 = 283.333...: three times 283.33 leave one cent; the remainders
        // tie, so it goes to the first category listed, the lyricist.
        expect balance(sacem_bank) == 150 EUR
        expect balance(lea) == 283.34 EUR
        expect balance(malik) == 283.33 EUR
        expect balance(nord) == 283.33 EUR
        expect earned[lea] == 283.34 EUR
        expect runs[Run("T-345.246.800-1", "2026-Q1")] == 1_000 EUR
        expect distributed == 850 EUR
    }

    scenario "refusals: only the society, once per period, known works with a composer" {
        fund sacem_bank 5_000 EUR
        fund lea 100 EUR
        deploy Society(name: "SACEM", society: sacem_bank)
        call register_work("T-000.000.001-0", "Sans musique") by sacem_bank
        call declare("T-000.000.001-0", lea, Category.Lyricist, 1) by sacem_bank
        expect fails call distribute("T-000.000.001-0", "2026-Q1") by sacem_bank paying 100 EUR with "composer"
        call register_work("T-345.246.800-1", "Quais de Nantes") by sacem_bank
        expect fails call register_work("T-345.246.800-1", "Quais de Nantes (bis)") by sacem_bank with "already registered"
        expect fails call register_work("T-999.999.999-9", "Pirate") by lea with "permission denied"
        expect fails call declare("T-345.246.800-1", lea, Category.Lyricist, 0) by sacem_bank with "positive"
        expect fails call declare("T-404.404.404-4", lea, Category.Lyricist, 1) by sacem_bank with "unknown work"
        call declare("T-345.246.800-1", lea, Category.Lyricist, 1) by sacem_bank
        expect fails call declare("T-345.246.800-1", lea, Category.Lyricist, 2) by sacem_bank with "already declared"
        call declare("T-345.246.800-1", malik, Category.Composer, 1) by sacem_bank
        expect fails call distribute("T-345.246.800-1", "2026-Q2") by lea paying 100 EUR with "permission denied"
        expect fails call distribute("T-345.246.800-1", "2026-Q2") by sacem_bank with "nothing"
        expect fails call distribute("T-345.246.800-1", "2026-Q2") by sacem_bank paying 5_000.01 EUR with "insufficient balance"
        expect fails call distribute("T-404.404.404-4", "2026-Q2") by sacem_bank paying 100 EUR with "unknown work"
        call distribute("T-345.246.800-1", "2026-Q2") by sacem_bank paying 100 EUR
        // no publisher: lyricist and composer share the 85.00 net equally
        expect fails call distribute("T-345.246.800-1", "2026-Q2") by sacem_bank paying 100 EUR with "already distributed"
        expect balance(lea) == 142.50 EUR         // 100.00 of her own + 42.50
        expect balance(malik) == 42.50 EUR
        expect balance(sacem_bank) == 4_915 EUR   // 5_000.00 - 100.00 + 15.00
        expect collected == 100 EUR
        expect len(works["T-345.246.800-1"].holders) == 2
    }
}

scenario "unequal composers, an arranger and a co-publishing deal, three levels to the cent" {
    fund sacem_bank 3_000 EUR
    deploy s = Society(name: "SACEM", fee_rate: 15%, society: sacem_bank)
    deploy deal = CoPublishing(catalogue: "Nord/Sud/Ouest 2026", shares: {ed_sud: 2, ed_ouest: 1}, administrator: ed_sud)
    call s.register_work("T-345.246.800-1", "Quais de Nantes") by sacem_bank
    call s.declare("T-345.246.800-1", lea, Category.Lyricist, 1) by sacem_bank
    call s.declare("T-345.246.800-1", malik, Category.Composer, 2) by sacem_bank    // two thirds of the music
    call s.declare("T-345.246.800-1", sacha, Category.Composer, 1) by sacem_bank
    call s.declare("T-345.246.800-1", remi, Category.Arranger, 1) by sacem_bank
    call s.declare("T-345.246.800-1", nord, Category.Publisher, 1) by sacem_bank
    call s.declare_copublishing("T-345.246.800-1", deal, 1) by sacem_bank
    call s.distribute("T-345.246.800-1", "2026-Q1") by sacem_bank paying 2_345.67 EUR
    // fee: 2_345.67 x 15% = 351.8505 -> 351.85; net 1_993.82
    // level 1, twelfths 4 / 3 / 1 / 4 (the arranger's twelfth out of the composers' 4):
    //   lyricists 664.6066..  composers 498.455  arrangers 166.1516..  publishers 664.6066..
    //   rounded down 664.60 + 498.45 + 166.15 + 664.60 = 1_993.80: two cents left, to
    //   the largest remainders, lyricists and publishers (0.67 cent each, tie listed first)
    //   -> 664.61 / 498.45 / 166.15 / 664.61
    // level 2: composers 498.45 at 2:1 -> malik 332.30, sacha 166.15, exactly
    //          publishers 664.61 at 1:1 -> 332.305 each: 332.30 each, the cent to nord,
    //          the party listed before the deal -> nord 332.31, deal 332.30
    // level 3: the deal's 332.30 at 2:1 -> 221.5333.. / 110.7666..: 221.53 + 110.76 leave
    //          one cent, to the larger remainder, ed_ouest -> 221.53 / 110.77
    expect balance(sacem_bank) == 1_006.18 EUR     // 3_000.00 - 2_345.67 + 351.85
    expect balance(lea) == 664.61 EUR
    expect balance(malik) == 332.30 EUR
    expect balance(sacha) == 166.15 EUR
    expect balance(remi) == 166.15 EUR
    expect balance(nord) == 332.31 EUR
    expect balance(ed_sud) == 221.53 EUR
    expect balance(ed_ouest) == 110.77 EUR
    expect s.deals_paid[deal] == 332.30 EUR
    expect deal.by_work["T-345.246.800-1"] == 332.30 EUR
    expect s.distributed == 1_993.82 EUR
    expect balance(s) == 0 EUR
    expect balance(deal) == 0 EUR
}

scenario "an instrumental work and an unpublished song: the key adapts" {
    fund sacem_bank 2_000 EUR
    deploy s = Society(name: "SACEM", fee_rate: 10%, society: sacem_bank)
    call s.register_work("T-111.111.111-1", "Nocturne pour le port") by sacem_bank
    call s.declare("T-111.111.111-1", malik, Category.Composer, 1) by sacem_bank
    call s.declare("T-111.111.111-1", nord, Category.Publisher, 1) by sacem_bank
    call s.distribute("T-111.111.111-1", "2026-Q1") by sacem_bank paying 700 EUR
    // fee 70.00; net 630.00: composers 8/12 = 420.00, publishers 4/12 = 210.00
    expect balance(malik) == 420 EUR
    expect balance(nord) == 210 EUR
    call s.declare("T-111.111.111-1", remi, Category.Arranger, 1) by sacem_bank
    call s.distribute("T-111.111.111-1", "2026-Q2") by sacem_bank paying 120 EUR
    // fee 12.00; net 108.00: composers 7/12 = 63.00, arranger 1/12 = 9.00, publishers 36.00
    expect balance(malik) == 483 EUR
    expect balance(remi) == 9 EUR
    expect balance(nord) == 246 EUR
    call s.register_work("T-222.222.222-2", "Chanson sans éditeur") by sacem_bank
    call s.declare("T-222.222.222-2", lea, Category.Lyricist, 1) by sacem_bank
    call s.declare("T-222.222.222-2", sacha, Category.Composer, 1) by sacem_bank
    call s.declare("T-222.222.222-2", malik, Category.Composer, 1) by sacem_bank
    call s.distribute("T-222.222.222-2", "2026-Q1") by sacem_bank paying 101 EUR
    // fee 10.10; net 90.90: lyricists 6/12 = 45.45, composers 6/12 = 45.45, shared by
    // two composers: 22.725 each -> 22.72 + 22.72, the cent to sacha, declared first
    expect balance(lea) == 45.45 EUR
    expect balance(sacha) == 22.73 EUR
    expect balance(malik) == 505.72 EUR              // 483.00 + 22.72
    expect s.fees == 92.10 EUR                       // 70.00 + 12.00 + 10.10
}
