// The correct version of royalties_broken.sc (tests/properties/test_testing_broken.py):
// a royalty split in equal thirds that pays every cent.
//
// `split` floors each share and gives the cents left over, one each, to the
// largest remainders (ties to the payee listed first), so the account ends every
// distribution empty.

contract Song {
    party society
    party author
    party composer
    party publisher

    state distributed: Money = 0 EUR

    invariant balance == 0 EUR

    entry distribute() by society pays any {
        require received > 0 EUR, "nothing to distribute"
        split received { author: 1, composer: 1, publisher: 1 }
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

scenario "the cent left over goes to the author" {
    fund sacem 1_000 EUR
    deploy s = Song(society: sacem, author: lea, composer: malik, publisher: nord) by sacem
    call s.distribute() by sacem paying 0.01 EUR
    expect balance(lea) == 0.01 EUR
    expect s.distributed == 0.01 EUR
}
