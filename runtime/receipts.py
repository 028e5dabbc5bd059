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

    def effect_lines(self, show=None) -> list[str]:
        """What the transaction did, one line each: the deploy, events, payments, the
        value returned; `show` renders a value (default: as Tabellion source)."""
        if show is None:
            from .values import format_value as show
        lines = [f"deployed at {self.address}"] if self.address is not None else []
        lines += [f"event {event}" for event in self.events]
        lines += [f"pay {t.amount} {t.source} -> {t.target}" for t in self.transfers]
        if self.value is not None:
            lines.append(f"returned {show(self.value)}")
        return lines
