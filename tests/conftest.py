"""Shared fixtures: a sandbox that checks, compiles and runs a contract on a dev ledger."""

from __future__ import annotations

import pytest

from tabellion.lang import compile_source
from tabellion.runtime.compiler import compile_module
from tabellion.runtime.ledger import DevLedger
from tabellion.runtime.numeric import Money, parse_money
from tabellion.runtime.values import Party


class Sandbox:
    """One source text, compiled, on a fresh development ledger."""

    def __init__(self, source: str, path: str = "test.sc"):
        self.checked = compile_source(source, path)
        self.compiled = compile_module(self.checked)
        self.ledger = DevLedger()
        self.address = None

    def fund(self, party: str, amount: str) -> None:
        self.ledger.fund(Party(party), parse_money(amount))

    def deploy(self, contract: str | None = None, by: str = "deployer", paying: str | None = None, **args):
        name = contract or next(iter(self.checked.contracts))
        receipt = self.ledger.deploy(self.compiled[name], args, Party(by), parse_money(paying) if paying else None)
        if receipt.ok:
            self.address = receipt.address
        return receipt

    def call(self, entry: str, *args, by: str = "alice", paying: str | None = None, address=None, gas_limit=None):
        return self.ledger.call(address or self.address, entry, args, Party(by),
                                parse_money(paying) if paying else None, gas_limit=gas_limit)

    def state(self, field: str):
        return self.ledger.state.instances[self.address].storage[field]

    def balance(self, party, currency: str = "EUR") -> Money:
        owner = party if isinstance(party, Party) else Party(party)
        return self.ledger.balance(owner, currency)


@pytest.fixture
def sandbox():
    return Sandbox
