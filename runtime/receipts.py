"""What a transaction leaves behind: a frozen `Receipt` with its events and transfers."""

from __future__ import annotations

import attrs

__all__ = ["Receipt", "Event", "Transfer", "SUCCESS", "REVERTED", "OUT_OF_GAS"]

SUCCESS, REVERTED, OUT_OF_GAS = "success", "reverted", "out of gas"


@attrs.frozen(slots=True)
class Event:
    contract: object          # the emitting contract's address (a Party)
    contract_name: str
    name: str
    fields: tuple             # ((field name, value), ...)
    span: object = None

    def __str__(self) -> str:
        from .values import format_value

        args = ", ".join(f"{k}: {format_value(v)}" for k, v in self.fields)
        return f"{self.name}({args})"


@attrs.frozen(slots=True)
class Transfer:
    """Money moved from `source` to `target`; `span` and `cause` say which statement did it."""

    source: object
    target: object
    amount: object
    span: object = None
    cause: str | None = None


@attrs.frozen(slots=True)
class Receipt:
    status: str
    gas_used: int
    gas_limit: int
    reason: str | None = None
    span: object = None
    events: tuple = ()
    transfers: tuple = ()
    value: object = None
    address: object = None    # the new contract's address, for a deploy
    kind: str = "call"
    entry: str | None = None
    caller: object = None

    @property
    def ok(self) -> bool:
        return self.status == SUCCESS
