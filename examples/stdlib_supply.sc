// Walkthrough of the `supply` module: olive oil from two mills to a delicatessen,
// and a tanker of unmarked oil that customs catch.
//
// `import supply` brings Traceability into this file. The consortium registers
// the mills; each mill marks its lots; the bottler merges and splits them; the
// provenance query walks a bottle lot back to the mills' lots; an inspection
// flags any lot with an origin no registered producer marked.
//
// Run it:  tabellion run examples/stdlib_supply.sc
//
// What to look at
//   - `provenance` returns the trail, breadth first, each lot once;
//   - mixing one unmarked lot into a blend spoils the whole blend.

import supply

scenario "two mills, one blend, and a tanker without papers" {
    deploy oil = Traceability(scheme: "Huile d'olive de Provence AOP", unit: "litres",
                              authority: consortium, producers: [moulin_a, moulin_b], inspectors: [douane])
    call oil.mark("extra virgin, Aglandau", 2_000) by moulin_a            // lot 0
    call oil.mark("extra virgin, Aglandau", 1_000) by moulin_b            // lot 1
    call oil.transfer(0, embouteilleur) by moulin_a
    call oil.transfer(1, embouteilleur) by moulin_b
    call oil.merge([0, 1]) by embouteilleur                              // lot 2: 3_000 litres
    call oil.split(2, [2_500, 500]) by embouteilleur                     // lots 3 and 4
    call oil.transfer(4, epicerie_fine) by embouteilleur
    call oil.provenance(4) by epicerie_fine                              // returns [4, 2, 0, 1]
    call oil.inspect(4) by douane
    expect oil.inspections[4].trail == [4, 2, 0, 1]
    expect oil.inspections[4].origins == [0, 1]
    expect oil.inspections[4].authentic
    call oil.declare("extra virgin, Aglandau", 800) by negociant          // lot 5: no mark
    call oil.transfer(5, embouteilleur) by negociant
    call oil.merge([3, 5]) by embouteilleur                              // lot 6: 3_300 litres
    call oil.inspect(6) by douane
    expect not oil.inspections[6].authentic
    expect oil.inspections[6].trail == [6, 3, 5, 2, 0, 1]     // breadth first
    expect oil.inspections[6].origins == [5, 0, 1]
    expect fails call oil.transfer(6, supermarche) by embouteilleur with "quarantined"
    expect oil.lots[6].holder == embouteilleur
}
