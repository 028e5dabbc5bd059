// Walkthrough of the `royalties` module: one quarter of an album's performance
// royalties, a song and an instrumental, one of them co-published.
//
// `import royalties` brings Society and CoPublishing into this file. The society
// registers each work and declares its right holders by category; the publisher's
// share of the song goes to a co-publishing deal, itself a contract, which
// re-splits it between its two publishers when it is paid.
//
// Run it:  tabellion run examples/stdlib_royalties.sc
//
// What to look at
//   - the key changes with the work: thirds for a song; 7/12, 1/12, 4/12 for an
//     instrumental with an arranger;
//   - the cents: each level is rounded on its own, largest remainder first.

import royalties

scenario "an album's quarter" {
    fund societe 1_100 EUR
    deploy s = Society(name: "Societe des auteurs", fee_rate: 12%, society: societe)
    deploy copub = CoPublishing(catalogue: "Route du Sel", shares: {editions_mer: 1, label_sud: 1},
                                administrator: editions_mer)
    call s.register_work("T-901.000.001-2", "La Route du Sel") by societe
    call s.declare("T-901.000.001-2", ines, Category.Lyricist, 1) by societe
    call s.declare("T-901.000.001-2", yann, Category.Composer, 1) by societe
    call s.declare_copublishing("T-901.000.001-2", copub, 1) by societe
    call s.register_work("T-901.000.002-3", "Maree basse") by societe
    call s.declare("T-901.000.002-3", yann, Category.Composer, 1) by societe
    call s.declare("T-901.000.002-3", theo, Category.Arranger, 1) by societe
    call s.declare("T-901.000.002-3", editions_mer, Category.Publisher, 1) by societe
    call s.distribute("T-901.000.001-2", "2026-Q3") by societe paying 500 EUR
    // fee 60.00; net 440.00 in thirds: 146.666... each -> 146.66 x 3 = 439.98; two
    // cents left, equal remainders: to the first two listed, lyricist and composer
    // -> 146.67 / 146.67 / 146.66; the deal splits its 146.66 1:1 -> 73.33 each
    call s.distribute("T-901.000.002-3", "2026-Q3") by societe paying 300 EUR
    // fee 36.00; net 264.00: composer 7/12 = 154.00, arranger 1/12 = 22.00,
    // publisher 4/12 = 88.00
    expect balance(ines) == 146.67 EUR
    expect balance(yann) == 300.67 EUR             // 146.67 + 154.00
    expect balance(theo) == 22 EUR
    expect balance(editions_mer) == 161.33 EUR     // 73.33 + 88.00
    expect balance(label_sud) == 73.33 EUR
    expect balance(societe) == 396 EUR             // 1_100.00 - 800.00 + 60.00 + 36.00
    expect s.earned[yann] == 300.67 EUR
    expect copub.received_total == 146.66 EUR
    expect fails call s.distribute("T-901.000.002-3", "2026-Q3") by societe paying 300 EUR with "already"
}
