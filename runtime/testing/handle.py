"""A deployed contract as a Python object, for tests written in Python (the pytest plugin's `load_contract`).

```python
w = load_contract("film.sc", equity="500_000 EUR", fund_loan="300_000 EUR", by=cam)
receipt = w.receive("MG France", by=cam, paying="400_000 EUR")
assert w.state.receipts_total == Money(40_000_000, "EUR")
with pytest.raises(CallFailed, match="permission denied"):
    w.receive("festival", by=producer, paying="5_000 EUR")
```

- Each entry is a method taking its arguments positionally or by name, plus
  `by=` (the caller; default the deployer, as in a scenario) and `paying=`.
  It returns the `Receipt` when the call succeeds and raises `CallFailed` (an
  `AssertionError` carrying `.receipt`) when the engine refuses it, so a refused
  call cannot pass unnoticed; `w.call("entry", ..., check=False)` returns the
  receipt either way.
- Values may be runtime values (`Money`, `Party`, ...) or what a test finds
  handier, converted by the declared type: Tabellion literal text for Money
  (`"100 EUR"`, or `"100"` in the type's or chain's currency), Rate (`"15%"`),
  Date, Time and Duration (`"2026-12-01"`, `"3h"`); `datetime` values; a name
  or `Party` for a Party; a dict or record for a record; `"Open"` or
  `"Status.Open"` for an enum member; lists and dicts for lists and maps.
  A Python `str` given for a `Text` is that text itself, not a literal.
- `w.state.count` reads a state field (`AttributeError` if it is unset),
  `w.balance` is the contract's balance, `w.address` its address.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

from tabellion.lang.types import (
    BoolT, DateT, DurationT, EnumT, IntT, ListT, MapT, MoneyT, PartyT, RateT, RecordT, TextT, TimeT, Type,
)

from ..numeric import Money, Rate, parse_int, parse_money, parse_rate
from ..temporal import DAY, Date, Duration, Time, parse_date, parse_duration, parse_time
from ..values import EnumValue, Party, Record, make_enum_members

__all__ = ["ContractHandle", "CallFailed", "DeployFailed", "Parties", "load_contract", "deploy_contract",
           "to_value", "compile_path_or_source", "check_contract"]

_EPOCH = datetime.date(1970, 1, 1)


class CallFailed(AssertionError):
    """The engine refused a call made through a handle; `.receipt` says why and where."""

    def __init__(self, receipt, what: str):
        self.receipt = receipt
        where = f" at {receipt.span}" if receipt.span is not None else ""
        super().__init__(f"{what} failed: {receipt.reason}{where}")


class DeployFailed(CallFailed):
    """The engine refused a deploy."""


class Parties:
    """`parties.alice` is `Party("alice")`; `parties["alice"]` too."""

    def __getattr__(self, name: str) -> Party:
        if name.startswith("__"):
            raise AttributeError(name)
        return Party(name)

    def __getitem__(self, name: str) -> Party:
        return Party(name)


def _party(value, argument: str) -> Party:
    if isinstance(value, Party):
        return value
    if isinstance(value, str) and value.isidentifier():
        return Party(value)
    raise TypeError(f"{argument}: expected a party (a Party or a name), got {value!r}")


def to_value(value, t: Type, currency: str = "EUR", argument: str = "value"):
    """`value` as a runtime value of Tabellion type `t` (see the module docstring for what is accepted)."""
    try:
        return _convert(value, t, currency, argument)
    except ValueError as error:
        raise ValueError(f"{argument}: {error}") from None


def _convert(value, t: Type, currency: str, argument: str):
    if isinstance(t, MoneyT):
        if isinstance(value, Money):
            return value
        if isinstance(value, str):
            text = value.strip()
            return parse_money(text) if " " in text else parse_money(text, t.currency or currency)
    elif isinstance(t, IntT):
        if type(value) is int:
            return value
        if isinstance(value, str):
            return parse_int(value.strip())
    elif isinstance(t, BoolT):
        if type(value) is bool:
            return value
        if value in ("true", "false"):
            return value == "true"
    elif isinstance(t, TextT):
        if isinstance(value, str):
            return value
    elif isinstance(t, RateT):
        if isinstance(value, Rate):
            return value
        if isinstance(value, str):
            return parse_rate(value.strip())
        if isinstance(value, Fraction):
            return Rate.of(value)
    elif isinstance(t, DateT):
        if isinstance(value, Date):
            return value
        if isinstance(value, str):
            return parse_date(value.strip())
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return Date((value - _EPOCH).days)
    elif isinstance(t, TimeT):
        if isinstance(value, Time):
            return value
        if isinstance(value, str):
            return parse_time(value.strip())
        if isinstance(value, datetime.datetime) and value.tzinfo is not None:
            return Time(int(value.timestamp()))
    elif isinstance(t, DurationT):
        if isinstance(value, Duration):
            return value
        if isinstance(value, str):
            return parse_duration(value.strip())
        if isinstance(value, datetime.timedelta) and not value.microseconds:
            return Duration(value.days * DAY + value.seconds)
    elif isinstance(t, PartyT):
        return _party(value, argument)
    elif isinstance(t, EnumT):
        if isinstance(value, EnumValue) and value.enum_name == t.name:
            return value
        if isinstance(value, str):
            member = value.split(".", 1)[1] if value.startswith(t.name + ".") else value
            for candidate in make_enum_members(t.name, t.members):
                if candidate.member == member:
                    return candidate
            raise ValueError(f"{t.name} has no member {member!r} (members: {', '.join(t.members)})")
    elif isinstance(t, RecordT):
        from ..compiler import record_class_for

        cls = record_class_for(t)
        if isinstance(value, Record) and type(value) is cls:
            return value
        if isinstance(value, dict):
            missing = [name for name in t.field_names if name not in value]
            extra = [name for name in value if name not in t.field_names]
            if missing or extra:
                raise ValueError(f"a {t.name} has fields {', '.join(t.field_names)}"
                                 + (f"; missing {', '.join(missing)}" if missing else "")
                                 + (f"; no field {', '.join(map(str, extra))}" if extra else ""))
            return cls(*(_convert(value[name], ft, currency, f"{argument}.{name}") for name, ft in t.fields))
    elif isinstance(t, ListT):
        if isinstance(value, (list, tuple)):
            return [_convert(item, t.item, currency, f"{argument}[{i}]") for i, item in enumerate(value)]
    elif isinstance(t, MapT):
        if isinstance(value, dict):
            return {_convert(k, t.key, currency, f"{argument} key"): _convert(v, t.value, currency, f"{argument}[{k!r}]")
                    for k, v in value.items()}
    else:
        return value
    raise TypeError(f"{argument}: expected a {t}, got {value!r}")


def compile_path_or_source(path_or_source):
    """A checked module from a `.sc` path (str or Path) or from source text."""
    from tabellion.lang import compile_source
    from tabellion.lang.reading import read_source

    if isinstance(path_or_source, Path) or (
            isinstance(path_or_source, str) and "\n" not in path_or_source and path_or_source.endswith(".sc")):
        path = str(path_or_source)
        return compile_source(read_source(path), path)
    return compile_source(path_or_source, "<test>")


class _State:
    """Attribute access to a deployed instance's state fields."""

    def __init__(self, handle: "ContractHandle"):
        object.__setattr__(self, "_handle", handle)

    def __getattr__(self, name: str):
        handle = self._handle
        storage = handle.instance.storage
        if name not in handle.compiled.info.state:
            raise AttributeError(f"{handle.compiled.name} has no state field {name!r} "
                                 f"(fields: {', '.join(handle.compiled.info.state) or 'none'})")
        if name not in storage:
            raise AttributeError(f"state {name!r} of {handle.compiled.name} has not been set")
        return storage[name]

    def __setattr__(self, name, value):
        raise AttributeError("state is read-only: change it by calling entries")

    def __dir__(self):
        return list(self._handle.compiled.info.state)


class _Entry:
    """A bound entry: calling it calls the entry on the chain."""

    def __init__(self, handle: "ContractHandle", name: str):
        self.handle, self.name = handle, name

    def __call__(self, *args, by=None, paying=None, **named):
        return self.handle.call(self.name, *args, by=by, paying=paying, **named)

    def __repr__(self):
        entry = self.handle.compiled.info.entries[self.name]
        params = ", ".join(f"{p}: {t}" for p, t in entry.params)
        return f"<entry {self.handle.compiled.name}.{self.name}({params})>"


class ContractHandle:
    """A contract deployed on a `DevLedger`, its entries as methods."""

    def __init__(self, ledger, compiled, address: Party, deployer: Party):
        self.ledger = ledger
        self.compiled = compiled
        self.address = address
        self.deployer = deployer
        self.state = _State(self)

    @property
    def instance(self):
        return self.ledger.state.instances[self.address]

    @property
    def balance(self) -> Money:
        return self.ledger.balance(self.address)

    def __getattr__(self, name: str):
        compiled = self.__dict__.get("compiled")
        if compiled is not None and name in compiled.info.entries:
            return _Entry(self, name)
        raise AttributeError(f"{compiled.name if compiled else 'contract'} has no entry {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.compiled.info.entries))

    def call(self, entry: str, *args, by=None, paying=None, check: bool = True, **named):
        """Call `entry`; the Receipt, or CallFailed when refused (unless `check=False`)."""
        info = self.compiled.info.entries.get(entry)
        if info is None:
            raise AttributeError(f"{self.compiled.name} has no entry {entry!r}")
        values = _arguments(info, args, named, self.ledger.native)
        caller = _party(by, "by") if by is not None else self.deployer
        amount = to_value(paying, MoneyT(), self.ledger.native, "paying") if paying is not None else None
        receipt = self.ledger.call(self.address, entry, values, caller, amount)
        if check and not receipt.ok:
            raise CallFailed(receipt, f"{entry} by {caller}")
        return receipt

    def __repr__(self):
        return f"<{self.compiled.name} at {self.address}>"


def _arguments(entry, args: tuple, named: dict, native: str) -> tuple:
    params = entry.params
    if len(args) > len(params):
        raise TypeError(f"{entry.name} takes {len(params)} argument{'s' * (len(params) != 1)}, got {len(args)}")
    values = list(args) + [_MISSING] * (len(params) - len(args))
    for key, value in named.items():
        index = next((i for i, (p, _) in enumerate(params) if p == key), None)
        if index is None:
            raise TypeError(f"{entry.name} has no parameter {key!r}")
        if values[index] is not _MISSING:
            raise TypeError(f"{entry.name}: {key!r} is given twice")
        values[index] = value
    missing = [p for (p, _), v in zip(params, values) if v is _MISSING]
    if missing:
        raise TypeError(f"{entry.name} is missing {', '.join(missing)}")
    return tuple(to_value(v, t, native, p) for (p, t), v in zip(params, values))


_MISSING = object()


def deploy_contract(ledger, path_or_source, contract: str | None = None, *, by=None, paying=None,
                    **params) -> ContractHandle:
    """Compile (cached) and deploy a contract on `ledger`; params, roles and parties by name."""
    from tabellion.lang.types import ListT as _ListT

    from ..compiler import compile_module

    checked = path_or_source if hasattr(path_or_source, "contracts") else compile_path_or_source(path_or_source)
    if contract is None:
        if len(checked.contracts) != 1:
            raise ValueError(f"name the contract to deploy: contract=... (one of {', '.join(checked.contracts)})")
        contract = next(iter(checked.contracts))
    compiled = compile_module(checked).get(contract)
    if compiled is None:
        raise ValueError(f"no contract named {contract!r}")
    info = compiled.info
    args = {}
    for name, value in params.items():
        if name in info.params:
            args[name] = to_value(value, info.params[name].type, ledger.native, name)
        elif name in info.roles:
            args[name] = to_value(value, _ListT(PartyT()), ledger.native, name)
        elif name in info.parties:
            args[name] = _party(value, name)
        else:
            names = [*info.params, *info.roles, *info.parties]
            raise TypeError(f"{contract} has no param, role or party {name!r} (it takes {', '.join(names) or 'none'})")
    deployer = _party(by, "by") if by is not None else Party("deployer")
    amount = to_value(paying, MoneyT(), ledger.native, "paying") if paying is not None else None
    receipt = ledger.deploy(compiled, args, deployer, amount)
    if not receipt.ok:
        raise DeployFailed(receipt, f"deploy of {contract}")
    return ContractHandle(ledger, compiled, receipt.address, deployer)


def load_contract(path_or_source, contract: str | None = None, *, ledger=None, by=None, paying=None, **params):
    """Deploy a contract on `ledger` (a new DevLedger if none) and return its handle."""
    from ..ledger import DevLedger

    return deploy_contract(ledger if ledger is not None else DevLedger(), path_or_source, contract,
                           by=by, paying=paying, **params)


def check_contract(path_or_source, contract: str | None = None, *, max_examples: int = 100, seed=None,
                   steps: int | None = None, database=False, **options) -> None:
    """Run a contract's generated state machine; raise its `CheckFailed` (with the scenario) if it fails.

    `database`: False (none), True (`.tabellion/examples` beside the file) or a directory.
    """
    from .plan import MachinePlan
    from .session import Options, database_for, run_machine

    checked = path_or_source if hasattr(path_or_source, "contracts") else compile_path_or_source(path_or_source)
    plan = MachinePlan(checked, contract, **options)
    settings = Options(max_examples=max_examples, seed=seed, steps=steps)
    where = path_or_source if isinstance(path_or_source, (str, Path)) and str(path_or_source).endswith(".sc") else "."
    failure = run_machine(plan, settings, database=None if database in (None, False) else database_for(where, database))
    if failure is not None:
        raise failure
