"""The pytest plugin (entry point `pytest11`: `tabellion`): fixtures for testing contracts from Python.

- `chain`: a fresh `DevLedger` (clock at 2026-01-01T00:00Z, every party at zero).
- `parties`: `parties.alice` is `Party("alice")`.
- `load_contract(path_or_source, contract=None, *, by=None, paying=None, **params)`:
  compiles (cached) and deploys on `chain`, returning a `ContractHandle` whose
  entries are methods (see `tabellion.runtime.testing.handle`).
- `fund(party, amount)`: `chain.fund` taking names and `"100 EUR"` too.

The module imports nothing heavy: pytest loads it in every session of an
environment where Tabellion is installed.
"""

from __future__ import annotations

import pytest

__all__ = ["chain", "parties", "load_contract", "fund"]


@pytest.fixture
def chain():
    """A fresh in-memory development chain."""
    from tabellion.runtime.ledger import DevLedger

    return DevLedger()


@pytest.fixture
def parties():
    """`parties.alice` is the party named alice."""
    from .handle import Parties

    return Parties()


@pytest.fixture
def fund(chain):
    """`fund("alice", "100 EUR")`: new money for a party on `chain`."""
    from tabellion.lang.types import MONEY

    from .handle import _party, to_value

    def give(party, amount):
        chain.fund(_party(party, "party"), to_value(amount, MONEY, chain.native, "amount"))

    return give


@pytest.fixture
def load_contract(chain):
    """`load_contract("film.sc", equity="500_000 EUR", by=cam)`: deploy on `chain`, get a handle."""
    from .handle import deploy_contract

    def load(path_or_source, contract=None, *, by=None, paying=None, **params):
        return deploy_contract(chain, path_or_source, contract, by=by, paying=paying, **params)

    return load
