// Music royalties: a collecting society distributes what it collected for one
// registered song to the song's rightsholders, period by period.
//
// Parties
//   society    the collecting society (SACEM in France, PRS in the UK, GEMA in
//              Germany): licenses radio, TV, venues and streaming services,
//              collects their fees, identifies the works used, withholds its
//              management fee and distributes the rest. Only it distributes.
//   author     the lyricist.
//   composer   the composer of the music.
//   publisher  the music publisher that signed the song.
//
// Two kinds of rights are distributed on different keys:
//   performance (broadcast, live, streaming): equal thirds between author,
//     composer and publisher, the society's usual key for a published song;
//   mechanical (reproduction on records and downloads): half to the publisher,
//     as the publishing contract states, a quarter each to author and composer.
// `split` pays the whole amount to the cent: shares are rounded down and the cents
// left over go to the largest remainders, ties to the payee listed first. Each
// period is distributed once per kind of right.
//
// Scenarios
//   1. a first quarter where both keys leave a cent over, and where it goes.
//   2. only the society distributes, once per period, and never nothing.

contract Work {
    party society
    party author
    party composer
    party publisher

    param title: Text
    param iswc: Text          // International Standard Musical Work Code

    enum Right { Performance, Mechanical }

    state performance: Map[Text, Money]
    state mechanical: Map[Text, Money]
    state total: Money = 0 EUR

    event Distributed(period: Text, right: Right, amount: Money)

    invariant balance == 0 EUR

    entry distribute_performance(period: Text) by society pays any {
        require received > 0 EUR, "nothing to distribute"
        require not (period in performance), "performance rights already distributed for this period"
        split received { author: 1, composer: 1, publisher: 1 }
        performance[period] = received
        total += received
        emit Distributed(period, Right.Performance, received)
    }

    entry distribute_mechanical(period: Text) by society pays any {
        require received > 0 EUR, "nothing to distribute"
        require not (period in mechanical), "mechanical rights already distributed for this period"
        split received { author: 1, composer: 1, publisher: 2 }
        mechanical[period] = received
        total += received
        emit Distributed(period, Right.Mechanical, received)
    }
}

scenario "a first quarter, cent by cent" {
    fund sacem 1_000 EUR
    deploy s = Work(title: "Quais de Nantes", iswc: "T-345.246.800-1", society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    call s.distribute_performance("2026-Q1") by sacem paying 100.00 EUR
    // 100.00 / 3 = 33.333...: three shares of 33.33 leave 0.01; the remainders tie,
    // so the cent goes to the first payee listed, the author.
    expect balance(lea) == 33.34 EUR
    expect balance(malik) == 33.33 EUR
    expect balance(nord) == 33.33 EUR    // the publisher
    call s.distribute_mechanical("2026-Q1") by sacem paying 250.01 EUR
    // 250.01 on 1:1:2 = 62.5025 / 62.5025 / 125.005: rounded down 62.50 / 62.50 / 125.00
    // leave 0.01, which goes to the largest remainder (0.005 against 0.0025): the publisher.
    expect balance(lea) == 95.84 EUR               // 33.34 + 62.50
    expect balance(malik) == 95.83 EUR             // 33.33 + 62.50
    expect balance(nord) == 158.34 EUR             // 33.33 + 125.01
    expect balance(sacem) == 649.99 EUR            // 1_000.00 - 100.00 - 250.01
    expect s.total == 350.01 EUR
    expect s.performance["2026-Q1"] == 100 EUR
}

scenario "only the society distributes, once per period" {
    fund sacem 5_000 EUR
    fund lea 100 EUR
    deploy s = Work(title: "Quais de Nantes", iswc: "T-345.246.800-1", society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    expect fails call s.distribute_performance("2026-Q2") by lea paying 100 EUR      // lea is not the society
    expect fails call s.distribute_performance("2026-Q2") by sacem                   // nothing to distribute
    call s.distribute_performance("2026-Q2") by sacem paying 1_234.56 EUR
    // 1_234.56 / 3 = 411.52 exactly: no cent left over
    expect fails call s.distribute_performance("2026-Q2") by sacem paying 1_234.56 EUR   // paid twice
    call s.distribute_mechanical("2026-Q2") by sacem paying 80 EUR                 // 20 / 20 / 40
    expect balance(lea) == 531.52 EUR              // 100.00 of her own + 411.52 + 20.00
    expect balance(malik) == 431.52 EUR            // 411.52 + 20.00
    expect balance(nord) == 451.52 EUR             // 411.52 + 40.00
    expect balance(sacem) == 3_685.44 EUR          // 5_000.00 - 1_234.56 - 80.00
}
