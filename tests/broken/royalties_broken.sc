// BROKEN ON PURPOSE (tests/properties/test_testing_broken.py): a royalty split
// written as three equal divisions, which loses a cent.
//
// A collecting society distributes what it collected for a song in equal thirds
// to author, composer and publisher; the account must end every distribution
// empty (`invariant balance == 0 EUR`).
//
// The bug: `received / 3` rounds down, so when the amount is not a multiple of
// three cents the remainder stays in the account, owed to nobody. (`split`
// gives it to the largest remainder; see royalties_correct.sc.)
//
// Counterexample expected: one distribution of an amount like 0.01 EUR (at most
// 2 steps after the deploy).

contract Song {
    party society
    party author
    party composer
    party publisher

    state distributed: Money = 0 EUR

    invariant balance == 0 EUR

    entry distribute() by society pays any {
        require received > 0 EUR, "nothing to distribute"
        let third = received / 3          // BUG: the remainder of the division is never paid
        pay third to author
        pay third to composer
        pay third to publisher
        distributed += received
    }
}

scenario "a quarter divisible by three" {
    fund sacem 1_000 EUR
    deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    call s.distribute() by sacem paying 300 EUR
    expect balance(lea) == 100 EUR
    expect balance(nord) == 100 EUR
}
