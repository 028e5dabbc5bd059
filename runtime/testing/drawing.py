"""Drawing calls of a contract's entries: the entry, its arguments, a caller and a payment.

A call is drawn against what is known of the instance it will hit, if anything:

- the caller is one the entry's `by` clause allows most of the time (members of
  its roles, its parties, the Party in its state field), anyone in the pool
  otherwise, so that refusals are exercised too;
- the payment follows the `pays` clause most of the time: exactly the amount of
  `pays premium` (evaluated on the instance), nothing without a clause, any
  amount for `pays any` (often one already seen); a caller who cannot afford such
  a payment is funded first (`Call.top_up`, a `fund` step in the transcript).
  Otherwise the payment is wrong: another amount, none, or more than the caller
  holds;
- an argument is three times in four a value found in the instance's state or
  params (an id that is a key of a map, a flight number bought before, an amount
  owed), else a fresh one from `strategies.from_type`. Only the state counts, not
  the arguments of earlier calls: a refused call leaves no trace, so the shrinker
  can delete it without changing what later steps draw.

Every choice shrinks toward the well-behaved case: an allowed caller, the payment
the clause asks for, a fresh simple argument. Each decision is one Hypothesis
choice (which caller, fresh or seen), so that a call is a short run of choices
the shrinker can delete whole.
"""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from tabellion.lang.checked import ContractInfo, EntryInfo
from tabellion.lang.types import (
    DateT, DurationT, IntT, MoneyT, PartyT, RateT, RecordT, TextT, TimeT, Type,
)

from .. import gas
from ..engine import Execution, Transaction
from ..numeric import Money, Rate
from ..temporal import Date, Duration, Time
from ..values import Party, Record
from .strategies import DEFAULT_PARTIES, Unsupported, from_type

__all__ = ["Call", "CallContext", "calls", "allowed_callers", "is_allowed", "draw_call", "observed_values"]

_PAYMENT_MODES = st.sampled_from(("clause",) * 7 + ("other",))
_WRONG_EXACT = st.sampled_from(("nothing", "amount"))
_SEEN_LIMIT = 16
_VALUE_KEYS = {int: "Int", str: "Text", Rate: "Rate", Date: "Date", Time: "Time", Duration: "Duration",
               Party: "Party"}
_TYPE_KEYS = ((IntT, "Int"), (TextT, "Text"), (RateT, "Rate"), (DateT, "Date"), (TimeT, "Time"),
              (DurationT, "Duration"), (PartyT, "Party"))


@attrs.frozen
class Call:
    """One drawn call; `allowed`: is the caller in the `by` clause (None: unknown without an instance)."""

    entry: str
    args: tuple
    caller: Party
    paying: Money | None
    allowed: bool | None = None
    top_up: Money | None = None  # what the caller lacks to pay as the clause asks: fund it first


def allowed_callers(entry: EntryInfo, instance) -> tuple[Party, ...] | None:
    """The parties `entry`'s `by` clause lets call it on `instance`; None for `by anyone`."""
    if entry.anyone:
        return None
    found: list[Party] = []
    for principal in entry.principals:
        if principal.kind == "role":
            found.extend(instance.roles.get(principal.name, ()))
            continue
        source = instance.storage if principal.kind == "state" else instance.params
        value = source.get(principal.name)
        if isinstance(value, Party):
            found.append(value)
    return tuple(sorted(set(found)))


def is_allowed(entry: EntryInfo, instance, caller: Party) -> bool:
    allowed = allowed_callers(entry, instance)
    return allowed is None or caller in allowed


def _type_key(t: Type, native: str):
    if isinstance(t, MoneyT):
        return ("Money", t.currency or native)
    if isinstance(t, RecordT):
        return ("Record", t.name)
    for cls, key in _TYPE_KEYS:
        if isinstance(t, cls):
            return key
    return None


def observed_values(*sources) -> dict:
    """Values found in `sources` (lists of values, maps, records), by kind, first seen first, 16 at most."""
    found: dict = {}

    def add(key, value):
        bucket = found.setdefault(key, [])
        if len(bucket) < _SEEN_LIMIT and value not in bucket:
            bucket.append(value)

    def walk(value):
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                walk(key)
                walk(item)
        elif kind is list:
            for item in value:
                walk(item)
        elif kind is Money:
            if value.units:  # a zero amount is what a counter starts at, not a value worth reusing
                add(("Money", value.currency), value)
        elif isinstance(value, Record):
            add(("Record", type(value).__record_name__), value)
            for item in value:
                walk(item)
        elif kind in _VALUE_KEYS:
            add(_VALUE_KEYS[kind], value)

    for source in sources:
        walk(source)
    return found


class CallContext:
    """What calls are drawn against: a contract, optionally a live instance on a ledger, a party pool."""

    def __init__(self, contract, pool=DEFAULT_PARTIES, ledger=None, address: Party | None = None,
                 native: str = "EUR"):
        self.compiled = contract if hasattr(contract, "entries") and hasattr(contract, "info") else None
        self.info: ContractInfo = self.compiled.info if self.compiled is not None else contract
        self.pool = tuple(p if isinstance(p, Party) else Party(p) for p in pool)
        self.ledger = ledger
        self.address = address
        self.native = ledger.native if ledger is not None else native
        self._strategies: dict = {}
        self._observed: dict | None = None

    @property
    def instance(self):
        if self.ledger is None or self.address is None:
            return None
        return self.ledger.state.instances.get(self.address)

    def forget(self) -> None:
        """The instance changed: observed values must be found again."""
        self._observed = None

    def observed(self) -> dict:
        if self._observed is None:
            instance = self.instance
            sources = [list(instance.storage.values()), list(instance.params.values())] if instance is not None else []
            self._observed = observed_values(*sources)
        return self._observed

    def strategy(self, t: Type):
        found = self._strategies.get(t)
        if found is None:
            found = self._strategies[t] = from_type(t, pool=self.pool, currency=self.native)
        return found

    def balance_units(self, party: Party, currency: str | None = None) -> int:
        if self.ledger is None:
            return 0
        return self.ledger.state.balances.get((party, currency or self.native), 0)

    def wanted_payment(self, entry: EntryInfo) -> Money | None:
        """What `pays AMOUNT` asks for on the instance now; None if unknown or not computable."""
        instance = self.instance
        if instance is None or self.compiled is None or entry.name not in self.compiled.pays:
            return None
        tx = Transaction(gas.DEFAULT_GAS_LIMIT, self.ledger.now, self.ledger.height)
        x = Execution(self.ledger.engine, tx, instance, instance.address, Money(0, self.native), 0)
        try:
            wanted = self.compiled.pays[entry.name](x)
        except Exception:  # noqa: BLE001 - a clause that cannot be evaluated now: pay something else
            return None
        return wanted if isinstance(wanted, Money) else None

    def supported(self, entry: EntryInfo) -> bool:
        try:
            for _, t in entry.params:
                self.strategy(t)
        except Unsupported:
            return False
        return True


_PICKS = st.integers(0, 4 * _SEEN_LIMIT - 1)
_CALLER_PICKS = st.integers(0, 63)


def _fresh_or_seen(data, seen, fresh):
    """Three times in four a value of `seen`, else one of the strategy `fresh`.

    Which one is a single choice from a range that never depends on what was seen,
    so that deleting an earlier step (which changes what was seen) leaves the
    choices of later steps meaning the same thing: the shrinker can delete it.
    It shrinks toward the first value seen.
    """
    pick = data.draw(_PICKS)
    if seen and pick < 3 * _SEEN_LIMIT:
        return seen[pick % len(seen)]
    return data.draw(fresh)


def draw_value(data, t: Type, context: CallContext):
    """An argument of type `t`: one the instance's state holds, or a fresh one."""
    key = _type_key(t, context.native)
    seen = context.observed().get(key) if key is not None else None
    return _fresh_or_seen(data, seen, context.strategy(t))


def _draw_caller(data, entry: EntryInfo, context: CallContext) -> tuple[Party, bool | None]:
    instance = context.instance
    allowed = allowed_callers(entry, instance) if instance is not None else None
    everyone = tuple(sorted(set(context.pool) | set(allowed or ())))
    # One choice from a fixed range: an allowed caller three times in four, shrinking
    # toward the first allowed one; for `by anyone`, five times in eight a party the
    # instance knows (a holder, a buyer), who is the one most entries let in.
    pick = data.draw(_CALLER_PICKS)
    if allowed is None:
        allowed = tuple(context.observed().get("Party", ()))
        threshold = 40
    else:
        threshold = 48
    caller = allowed[pick % len(allowed)] if allowed and pick < threshold else everyone[pick % len(everyone)]
    if instance is None:
        return caller, None
    return caller, is_allowed(entry, instance, caller)


def _draw_amount(data, context: CallContext, currency: str) -> Money:
    seen = [m for m in context.observed().get(("Money", currency), ()) if m.units > 0]  # no refunds
    return _fresh_or_seen(data, seen, context.strategy(MoneyT(currency)))


def _draw_payment(data, entry: EntryInfo, context: CallContext, caller: Party) -> tuple[Money | None, bool]:
    """The payment, and whether it follows the `pays` clause (then the caller is topped up to afford it)."""
    native = context.native
    wanted = context.wanted_payment(entry) if entry.pays == "exact" else None
    currency = wanted.currency if wanted is not None else native
    held = context.balance_units(caller, currency)
    if data.draw(_PAYMENT_MODES) == "clause":
        if entry.pays == "none":
            return None, True
        if entry.pays == "any" or wanted is None:
            return _draw_amount(data, context, currency), True
        return wanted, True
    # a payment the clause does not ask for, or more than the caller holds
    if entry.pays == "exact" and data.draw(_WRONG_EXACT) == "nothing":
        return None, False
    ceiling = 2 * max(held, wanted.units if wanted is not None else 0, 100)
    low = held + 1 if entry.pays == "any" else 1
    return Money(data.draw(st.integers(low, max(low, ceiling))), currency), False


def draw_call(data, entry_name: str, context: CallContext) -> Call:
    """Draw a call of `entry_name` (arguments, caller, payment) with the `data` of `st.data()`."""
    entry = context.info.entries[entry_name]
    args = tuple(draw_value(data, t, context) for _, t in entry.params)
    caller, allowed = _draw_caller(data, entry, context)
    paying, follows_clause = _draw_payment(data, entry, context, caller)
    top_up = None
    if follows_clause and paying is not None and paying.units > 0:
        missing = paying.units - context.balance_units(caller, paying.currency)
        if missing > 0:
            top_up = Money(missing, paying.currency)
    return Call(entry_name, args, caller, paying, allowed, top_up)


def calls(contract, *, pool=DEFAULT_PARTIES, ledger=None, address: Party | None = None,
          entries=None) -> st.SearchStrategy[Call]:
    """Calls of `contract` (a compiled contract or its `ContractInfo`).

    With a `ledger` and the `address` of a live instance, callers, arguments and
    payments are drawn against its roles, state and balances; without, any party
    of `pool` calls (`Call.allowed` is None), arguments are fresh, and payments are
    any amount. `entries` limits the entries drawn.
    """
    context = CallContext(contract, pool, ledger, address)
    names = tuple(entries) if entries is not None else tuple(context.info.entries)
    names = tuple(name for name in names if context.supported(context.info.entries[name]))
    if not names:
        raise ValueError(f"calls(): {context.info.name} has no entry whose arguments can be generated")

    @st.composite
    def draw(draw_fn):
        data = _Drawer(draw_fn)
        context.forget()
        return draw_call(data, draw_fn(st.sampled_from(names)), context)

    return draw()


class _Drawer:
    """Gives a composite's `draw` the `.draw` method of `st.data()`'s object."""

    __slots__ = ("draw",)

    def __init__(self, draw):
        self.draw = draw
