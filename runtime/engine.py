"""The engine: runs one deploy or call as a transaction on a journaled state.

A transaction charges its base gas, moves the money sent with it, checks the
entry's `by` and `pays` clauses, runs the generated code, evaluates the invariants
of every contract it touched and checks that money was conserved. Any failure rolls
the state back to where the transaction started; the `Receipt` says why and where.
"""

from __future__ import annotations

from . import gas
from .errors import (
    DepthExceeded, InternalError, InvalidArgument, MissingKey, OutOfGas, PermissionDenied,
    ReentrancyRefused, Revert, DivisionByZero,
)
from .numeric import Money
from .receipts import OUT_OF_GAS, REVERTED, SUCCESS, Event, Receipt, Transfer
from .spans import span_of_exception
from .split import split_amount, split_by_rational_weights
from .state import Instance, WorldState
from .compiler.support import size_of
from .values import Party, sorted_items
from .waterfall import Fee, PariPassu, Recoup, WaterfallProgress, run_waterfall

__all__ = ["Engine", "Execution", "Transaction", "InvariantViolated"]


class InvariantViolated(Revert):
    default_reason = "invariant violated"


class Transaction:
    """What one transaction accumulates: gas, events, transfers, the contracts it touched."""

    __slots__ = ("gas", "events", "transfers", "stack", "touched", "now", "block", "trace")

    def __init__(self, gas_limit: int, now, block: int, trace=None):
        self.gas = gas.GasMeter(gas_limit)
        self.events: list[Event] = []
        self.transfers: list[Transfer] = []
        self.stack: list[Party] = []
        self.touched: dict[Party, Instance] = {}
        self.now = now
        self.block = block
        self.trace = trace


class Execution:
    """The `_x` of generated code: one contract frame inside a transaction."""

    __slots__ = ("engine", "state", "tx", "instance", "gas", "storage", "params", "roles", "journal_append",
                 "caller", "received", "now", "block", "depth", "address")

    def __init__(self, engine: "Engine", tx: Transaction, instance: Instance, caller: Party, received: Money,
                 depth: int):
        self.engine = engine
        self.state = engine.state
        self.tx = tx
        self.instance = instance
        self.address = instance.address
        self.gas = tx.gas
        self.storage = instance.storage
        self.params = instance.params
        self.roles = instance.roles
        self.journal_append = engine.state.journal_append
        self.caller = caller
        self.received = received
        self.now = tx.now
        self.block = tx.block
        self.depth = depth

    # -- reading

    def balance(self, currency=None) -> Money:
        return self.state.balance(self.address, currency)

    def zero_money(self) -> Money:
        return Money(0, self.state.native)

    def span(self, index: int):
        return self.instance.contract.spans[index]

    def trace(self, span_index: int) -> None:
        """Called before each statement by contracts compiled with tracing."""
        report = self.tx.trace
        if report is not None:
            report(self, self.span(span_index))

    # -- effects

    def pay(self, amount: Money, to: Party, span_index: int, cause: str | None = None) -> None:
        try:
            self.state.transfer(self.address, to, amount)
        except Revert as error:
            error.span = error.span or self.span(span_index)
            raise
        if amount.units:
            self.tx.transfers.append(Transfer(self.address, to, amount, self.span(span_index), cause))

    def emit(self, name: str, values: tuple, span_index: int) -> None:
        gas.charge(self.gas, gas.EVENT_BYTE * sum(size_of(v) for v in values))
        event = self.instance.contract.info.events[name]
        fields = tuple(zip((f for f, _ in event.fields), values))
        self.tx.events.append(Event(self.address, self.instance.name, name, fields, self.span(span_index)))

    def split(self, amount: Money, weights: tuple, span_index: int) -> None:
        gas.charge(self.gas, gas.PAY * max(len(weights) - 1, 0))
        total = sum(w for _, w in weights)
        for (payee, share), (_, weight) in zip(split_amount(amount, weights), weights):
            self.pay(share, payee, span_index, f"split {weight}/{total}")

    def split_among(self, amount: Money, weights: dict, span_index: int) -> None:
        pairs = sorted_items(weights)
        gas.charge(self.gas, gas.PAY * len(pairs))
        if not pairs:
            raise InvalidArgument("cannot split among an empty map")
        if type(pairs[0][1]) is int:
            shares = split_amount(amount, pairs)
        else:
            shares = split_by_rational_weights(amount, pairs)
        for payee, share in shares:
            self.pay(share, payee, span_index, "split pro rata")

    def waterfall(self, name: str, amount: Money, tiers: tuple, span_index: int, tier_spans: tuple = ()) -> None:
        key = "waterfall:" + name
        stored = self.storage.get(key)
        progress = WaterfallProgress.from_value(stored) if stored is not None else None
        try:
            result = run_waterfall(amount, tiers, progress)
        except Revert as error:
            error.span = error.span or self.span(span_index)
            raise
        gas.charge(self.gas, gas.PAY * len(result.payments))
        for tier_index, payee, share in result.payments:
            where = tier_spans[tier_index] if tier_index < len(tier_spans) else span_index
            self.pay(share, payee, where, f"waterfall {name}, tier {tier_index + 1} ({_tier_words(tiers[tier_index])})")
        from .compiler.support import journaled_set

        journaled_set(self.journal_append, self.gas, self.storage, key, result.progress.to_value())

    def grant(self, role: str, party: Party) -> None:
        members = self.roles[role]
        if party not in members:
            self.journal_append((members, party, _missing()))
            members[party] = True

    def revoke(self, role: str, party: Party) -> None:
        members = self.roles[role]
        if party in members:
            self.journal_append((members, party, True))
            del members[party]

    def call(self, target: Party, entry: str, args: tuple, paying, span_index: int):
        engine, tx = self.engine, self.tx
        try:
            if self.depth + 1 > gas.MAX_CALL_DEPTH:
                raise DepthExceeded(f"call depth exceeded ({gas.MAX_CALL_DEPTH} nested calls)")
            instance = engine.state.instances.get(target)
            if instance is None:
                raise Revert(f"no contract at {target}")
            if target in tx.stack:
                raise ReentrancyRefused(f"reentrancy refused: {instance.name} is already running in this transaction")
        except Revert as error:
            error.span = error.span or self.span(span_index)
            raise
        return engine.run_entry(tx, instance, entry, args, self.address, paying, self.depth + 1, self.span(span_index))


def _missing():
    from .compiler.support import MISSING

    return MISSING


def _tier_words(tier) -> str:
    if type(tier) is Fee:
        return f"fee {tier.rate} to {tier.payee}"
    if type(tier) is Recoup:
        return f"recoup {tier.payee}"
    if type(tier) is PariPassu:
        return "pari passu " + ", ".join(str(p) for p, _ in tier.targets)
    return "split " + ", ".join(str(p) for p, _ in tier.weights)


class Engine:
    """Runs transactions against a `WorldState`."""

    def __init__(self, state: WorldState | None = None):
        self.state = state or WorldState()
        self.deployed = 0

    # -- entry points

    def deploy(self, compiled, args: dict, deployer: Party, paying: Money | None = None,
               gas_limit: int = gas.DEFAULT_GAS_LIMIT, now=None, block: int = 0, address: Party | None = None) -> Receipt:
        """Create an instance of `compiled` with params, roles and parties from `args`."""
        tx = Transaction(gas_limit, now, block)
        number = self.deployed + 1
        address = address or Party(f"{compiled.name}#{number}")
        return self._transact(tx, "deploy", compiled.name, deployer,
                              lambda: self._deploy(tx, compiled, args, deployer, paying, address), address)

    def call(self, address: Party, entry: str, args: tuple, caller: Party, paying: Money | None = None,
             gas_limit: int = gas.DEFAULT_GAS_LIMIT, now=None, block: int = 0, trace=None) -> Receipt:
        tx = Transaction(gas_limit, now, block, trace)

        def run():
            instance = self.state.instances.get(address)
            if instance is None:
                raise Revert(f"no contract at {address}")
            return self.run_entry(tx, instance, entry, args, caller, paying, 0)

        return self._transact(tx, "call", entry, caller, run)

    # -- inside a transaction

    def run_entry(self, tx: Transaction, instance: Instance, entry_name: str, args: tuple, caller: Party,
                  paying: Money | None, depth: int, span=None):
        """Check who calls, move the money sent, check it against `pays`, run the entry."""
        compiled = instance.contract
        entry = compiled.info.entries.get(entry_name)
        if entry is None:
            raise Revert(f"{instance.name} has no entry '{entry_name}'")
        received = paying if paying is not None else Money(0, self.state.native)
        x = Execution(self, tx, instance, caller, received, depth)
        try:
            _check_permission(instance, entry, caller)
            if paying is not None:
                self.state.transfer(caller, instance.address, paying)
                if paying.units:
                    tx.transfers.append(Transfer(caller, instance.address, paying, span,
                                                 f"paid with the call of {entry_name}"))
            _check_payment(x, compiled, entry, paying)
        except Revert as error:
            error.span = error.span or span
            raise
        tx.stack.append(instance.address)
        tx.touched[instance.address] = instance
        try:
            return compiled.entries[entry_name](x, *args)
        finally:
            tx.stack.pop()

    def _deploy(self, tx: Transaction, compiled, args: dict, deployer: Party, paying, address: Party):
        info = compiled.info
        params, roles = {}, {}
        for role in info.roles:
            members = args.get(role, [Party(role)])
            roles[role] = {p: True for p in members}
        for party in info.parties:
            params[party] = args.get(party, Party(party))
        instance = Instance(address, compiled, params, roles, deployer, self.deployed + 1)
        gas.charge(tx.gas, gas.DEPLOY_BYTE * _contract_size(compiled) + gas.STORAGE_WRITE * len(info.state))
        x = Execution(self, tx, instance, deployer, paying or Money(0, self.state.native), 0)
        for name in info.params:
            if name in args:
                params[name] = args[name]
            elif name in compiled.param_defaults:
                params[name] = compiled.param_defaults[name](x)
            else:
                raise Revert(f"deploy of {info.name} is missing the param '{name}'")
        self.state.add_instance(instance)
        if paying is not None:
            self.state.transfer(deployer, address, paying)
            if paying.units:
                tx.transfers.append(Transfer(deployer, address, paying, None, "opening balance"))
        compiled.state_defaults(x)
        tx.touched[address] = instance
        if compiled.init is not None:
            tx.stack.append(address)
            try:
                compiled.init(x)
            finally:
                tx.stack.pop()
        self.deployed += 1
        return None

    def _transact(self, tx: Transaction, kind: str, entry: str, caller: Party, run, address=None) -> Receipt:
        state = self.state
        savepoint = state.savepoint()
        deployed = self.deployed
        try:
            gas.charge(tx.gas, gas.TRANSACTION)
            value = run()
            instances = state.instances
            for transfer in tx.transfers:  # receiving money can break a contract's invariant too
                for owner in (transfer.source, transfer.target):
                    if owner in instances and owner not in tx.touched:
                        tx.touched[owner] = instances[owner]
            self._check_invariants(tx)
            moved, created = state.changes_since(savepoint)
            if moved != created:
                raise InternalError(f"money was created or destroyed: balances changed by {moved}, issuance by {created}")
        except OutOfGas as error:
            state.rollback(savepoint)
            self.deployed = deployed
            return Receipt(OUT_OF_GAS, tx.gas.limit, tx.gas.limit, error.reason, error.span or span_of_exception(error),
                           kind=kind, entry=entry, caller=caller)
        except Exception as error:  # every other failure is classified, then rolled back
            state.rollback(savepoint)
            self.deployed = deployed
            revert = _as_revert(error)
            if revert is None:
                raise InternalError(f"{type(error).__name__}: {error}") from error
            return Receipt(REVERTED, tx.gas.used, tx.gas.limit, revert.reason,
                           revert.span or span_of_exception(error), kind=kind, entry=entry, caller=caller)
        if state.journal and savepoint == 0:
            state.commit()
        return Receipt(SUCCESS, tx.gas.used, tx.gas.limit, None, None, tuple(tx.events), tuple(tx.transfers),
                       value, address, kind, entry, caller)

    def _check_invariants(self, tx: Transaction) -> None:
        for instance in tx.touched.values():
            if instance.address not in self.state.instances:
                continue
            x = Execution(self, tx, instance, instance.address, Money(0, self.state.native), 0)
            for function, decl in instance.contract.invariants:
                if not function(x):
                    text = _source_text(instance, decl)
                    if decl.message is not None and hasattr(decl.message, "value"):
                        text = f"{decl.message.value} ({text})"
                    raise InvariantViolated(f"invariant of {instance.name} violated: {text}", decl.span)


def _source_text(instance: Instance, decl) -> str:
    lines = instance.contract.checked.source.split("\n")
    span = decl.condition.span
    if span.line == span.end_line and 0 < span.line <= len(lines):
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    return "invariant"


def _check_permission(instance: Instance, entry, caller: Party) -> None:
    if entry.anyone:
        return
    for principal in entry.principals:
        kind, name = principal.kind, principal.name
        if kind == "role" and caller in instance.roles[name]:
            return
        if kind in ("party", "param") and instance.params.get(name) == caller:
            return
        if kind == "state" and instance.storage.get(name) == caller:
            return
    who = ", ".join(p.name for p in entry.principals)
    raise PermissionDenied(f"permission denied: {entry.name} may be called by {who}, not by {caller}",
                           entry.decl.by.span if entry.decl.by else entry.decl.name.span)


def _check_payment(x: Execution, compiled, entry, paying) -> None:
    if entry.pays == "any":
        return
    if entry.pays == "none":
        if paying is not None and paying.units:
            raise Revert(f"{entry.name} does not accept payment (it has no `pays` clause)", entry.decl.name.span)
        return
    wanted = compiled.pays[entry.name](x)
    if paying is None or paying != wanted:
        got = paying if paying is not None else "nothing"
        raise Revert(f"{entry.name} must be paid exactly {wanted}, got {got}", entry.decl.pays.span)


def _as_revert(error: BaseException) -> Revert | None:
    if isinstance(error, Revert):
        return error
    if isinstance(error, KeyError):
        key = error.args[0] if error.args else "?"
        return MissingKey(f"missing key: {key}")
    if isinstance(error, IndexError):
        return MissingKey("list index out of range")
    if isinstance(error, ZeroDivisionError):
        return DivisionByZero()
    if isinstance(error, RecursionError):
        return DepthExceeded("call depth exceeded")
    return None


def _contract_size(compiled) -> int:
    """Bytes of the contract's source text, which a deploy pays for."""
    span = compiled.info.decl.span
    lines = compiled.checked.source.split("\n")[span.line - 1 : span.end_line]
    return sum(len(line) + 1 for line in lines)
