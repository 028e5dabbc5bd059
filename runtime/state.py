"""World state behind a narrow, journaled interface: balances, contract instances, nonces.

Every change goes through the few functions here (or the journaled helpers the
generated code calls), each of which records the old value in the journal first.
`savepoint()` marks a point; `rollback(savepoint)` undoes everything after it, so a
transaction and all its nested calls commit together or not at all. The persistent
chain keeps the same interface.
"""

from __future__ import annotations

import copy

from .compiler.support import MISSING, rollback
from .errors import InsufficientBalance, InvalidArgument
from .numeric import Money
from .values import Party

__all__ = ["Instance", "WorldState"]


class Instance:
    """A deployed contract: its code, params, roles and storage."""

    __slots__ = ("address", "contract", "params", "roles", "storage", "deployer", "number")

    def __init__(self, address: Party, contract, params: dict, roles: dict, deployer: Party, number: int):
        self.address = address
        self.contract = contract
        self.params = params
        self.roles = roles          # role name -> {Party: True}, an ordered set
        self.storage: dict = {}
        self.deployer = deployer
        self.number = number

    @property
    def name(self) -> str:
        return self.contract.name


class WorldState:
    """Balances (owner, currency) -> minor units, instances by address, the journal."""

    def __init__(self, native_currency: str = "EUR"):
        self.native = native_currency
        self.balances: dict[tuple[Party, str], int] = {}
        self.instances: dict[Party, Instance] = {}
        self.nonces: dict[Party, int] = {}
        self.journal: list = []
        self.journal_append = self.journal.append
        self.issued: dict[str, int] = {}

    # -- reading

    def balance(self, owner: Party, currency: str | None = None) -> Money:
        currency = currency or self.native
        return Money(self.balances.get((owner, currency), 0), currency)

    def accounts(self) -> list[Party]:
        return sorted({owner for owner, _ in self.balances})

    # -- changing

    def _set_balance(self, key, units: int) -> None:
        self.journal_append((self.balances, key, self.balances.get(key, MISSING)))
        self.balances[key] = units

    def transfer(self, source: Party, target: Party, amount: Money) -> None:
        """Move `amount` from `source` to `target`, or raise InsufficientBalance."""
        if amount.units < 0:
            raise InvalidArgument(f"cannot pay a negative amount ({amount})")
        if not amount.units:
            return
        key = (source, amount.currency)
        held = self.balances.get(key, 0)
        if held < amount.units:
            raise InsufficientBalance(
                f"insufficient balance: {source} holds {Money(held, amount.currency)}, needs {amount}")
        self._set_balance(key, held - amount.units)
        target_key = (target, amount.currency)
        self._set_balance(target_key, self.balances.get(target_key, 0) + amount.units)

    def issue(self, owner: Party, amount: Money) -> None:
        """Create money (development funding, or a chain's issuance schedule)."""
        if amount.units < 0:
            raise InvalidArgument(f"cannot issue a negative amount ({amount})")
        key = (owner, amount.currency)
        self._set_balance(key, self.balances.get(key, 0) + amount.units)
        issued = self.issued
        self.journal_append((issued, amount.currency, issued.get(amount.currency, MISSING)))
        issued[amount.currency] = issued.get(amount.currency, 0) + amount.units

    def add_instance(self, instance: Instance) -> None:
        self.journal_append((self.instances, instance.address, MISSING))
        self.instances[instance.address] = instance

    # -- transactions

    def savepoint(self) -> int:
        return len(self.journal)

    def rollback(self, savepoint: int) -> None:
        rollback(self.journal, savepoint)

    def commit(self) -> None:
        """Forget the journal: what happened can no longer be undone."""
        self.journal.clear()

    def changes_since(self, savepoint: int) -> tuple[dict[str, int], dict[str, int]]:
        """Per currency: how much all balances and how much issuance changed since `savepoint`.

        Costs in proportion to what changed, not to the number of accounts.
        """
        first_old: dict = {}
        first_issued: dict = {}
        balances, issued = self.balances, self.issued
        for container, key, old in self.journal[savepoint:]:
            if container is balances:
                first_old.setdefault(key, old)
            elif container is issued:
                first_issued.setdefault(key, old)
        moved: dict[str, int] = {}
        for key, old in first_old.items():
            before = 0 if old is MISSING else old
            moved[key[1]] = moved.get(key[1], 0) + balances.get(key, 0) - before
        created: dict[str, int] = {}
        for currency, old in first_issued.items():
            created[currency] = issued.get(currency, 0) - (0 if old is MISSING else old)
        return {c: v for c, v in moved.items() if v}, {c: v for c, v in created.items() if v}

    def supply(self) -> dict[str, int]:
        """The total of every balance, per currency."""
        totals: dict[str, int] = {}
        for (_, currency), units in self.balances.items():
            totals[currency] = totals.get(currency, 0) + units
        return totals

    def snapshot(self):
        """A deep copy of everything observable, for comparing states in tests and :undo."""
        return copy.deepcopy((
            self.balances,
            {a: (i.storage, i.roles, i.params) for a, i in self.instances.items()},
            self.nonces,
            self.issued,
        ))
