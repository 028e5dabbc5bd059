"""Testing a contract from Python with Tabellion's pytest plugin.

The plugin comes with Tabellion (entry point `pytest11`), so these fixtures are
there in any pytest session once Tabellion is installed:

- `chain`: a fresh development chain, every party at zero, clock at 2026-01-01;
- `parties`: `parties.cam` is the party named cam;
- `fund(party, amount)`: new money for a party;
- `load_contract(path, **params)`: deploy a contract on `chain`; its entries become
  methods that return the receipt, or raise `CallFailed` when the engine refuses.

Run it with `pytest examples/pytest_example`.
"""

from pathlib import Path

import pytest
from hypothesis import given, settings

from tabellion.runtime.ledger import DevLedger
from tabellion.runtime.values import Money, Party
from tabellion.testing import CallFailed, check_contract, load_contract as deploy, money

FILM = Path(__file__).parent.parent / "film_waterfall.sc"


@pytest.fixture
def film(load_contract, fund, parties):
    fund(parties.cam, "1_300_000 EUR")
    return load_contract(FILM, equity="500_000 EUR", fund_loan="300_000 EUR",
                         auditors=[parties.producer, parties.financier, parties.film_fund], by=parties.cam)


def test_a_receipt_goes_down_the_waterfall(film, chain, parties):
    receipt = film.receive("MG France, theatrical", by=parties.cam, paying="400_000 EUR")
    assert receipt.ok
    assert chain.balance(parties.sales_agent) == Money(11_940_000, "EUR")   # 59_400 + 60_000
    assert film.state.receipts_total == Money(40_000_000, "EUR")
    assert len(film.state.statements) == 1


def test_only_the_cam_records_receipts(film, fund, parties):
    fund(parties.producer, "5_000 EUR")
    with pytest.raises(CallFailed, match="permission denied"):
        film.receive("festival prize", by=parties.producer, paying="5_000 EUR")
    with pytest.raises(CallFailed, match="empty receipt"):
        film.receive("nothing yet", by=parties.cam)


@settings(max_examples=25, deadline=None)
@given(amount=money("EUR", "0.01 EUR", "1_300_000 EUR"))
def test_the_film_account_never_keeps_money(amount):
    chain = DevLedger()                      # a fresh chain per example: fixtures are per test
    cam = Party("cam")
    chain.fund(cam, amount)
    w = deploy(FILM, ledger=chain, equity="500_000 EUR", fund_loan="300_000 EUR", by=cam)
    w.receive("a receipt", by=cam, paying=amount)
    assert w.balance == Money(0, "EUR")


def test_the_generated_state_machine_finds_nothing():
    # deploys as the file's first scenario does, then calls, funds and waits at random,
    # checking invariants, conservation and permissions after every step
    check_contract(FILM, max_examples=20, seed=1)
