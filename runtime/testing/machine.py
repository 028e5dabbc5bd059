"""A Hypothesis state machine generated from a contract: deploy it, then fund, wait and call at random.

`machine_for(checked, "Film")` builds a `RuleBasedStateMachine` subclass whose
`@initialize` rule deploys the contract (see `plan` for where the deploy comes
from) on a fresh `DevLedger`, and whose rules are one per entry (`call_receive`,
with arguments, caller and payment drawn as `drawing` explains), `fund` (new
money for a party of the pool) and `wait` (the clock moves on), plus `a_pause`,
which does nothing and lets the shrinker delete steps.

After every step it checks, and raises the failure with the steps taken so far:

- invariants: a call the engine refused because an invariant would break is a
  `ContractFailure` ("invariant `paid <= confirmed` would be broken by this
  call"): the engine keeps the state safe, but the contract let a caller ask for
  a state its author ruled out. After a step that changed something (a call that
  went through, the clock moving) every invariant is also evaluated directly, so
  one that time alone breaks is caught too;
- money: the sum of all balances equals what was funded (`TabellionBug` if not);
- refusals: a refused call left everything `WorldState.snapshot()` covers as it
  was (balances, every instance's storage, roles and params, nonces, issuance),
  compared through a copy made for the purpose, four times cheaper than its deepcopy;
- permissions: a caller outside the entry's `by` clause was refused;
- no internal error: an `InternalError`, or any Python exception from the engine,
  is a `TabellionBug`.
"""

from __future__ import annotations

from hypothesis import HealthCheck, reject, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule

from tabellion.lang.types import DurationT, MoneyT, RateT

from .. import gas
from ..engine import Execution, Transaction
from ..errors import OutOfGas, Revert, TabellionError
from ..ledger import DevLedger
from ..numeric import Money
from ..scenarios import ScenarioContext
from .drawing import CallContext, allowed_callers, draw_call, is_allowed
from .failures import ContractFailure, TabellionBug
from .plan import MachinePlan
from .strategies import durations, from_type, money, parties, rates
from .transcript import Called, Deployed, Funded, Setup, Transcript, Waited, source_text

__all__ = ["ContractMachine", "machine_for"]

_OPENING = st.sampled_from((False, False, False, True))
_ROLE_SIZE = (1, 2)


class ContractMachine(RuleBasedStateMachine):
    """Base of generated machines; `plan` (a `MachinePlan`) is set on each subclass."""

    plan: MachinePlan = None

    def __init__(self):
        super().__init__()
        plan = self.plan
        plan.stats.examples += 1
        self.ledger = DevLedger(plan.native)
        self.transcript = Transcript(plan.title, plan.instance_name, plan.contract_params)
        self.context = CallContext(plan.compiled, plan.pool, self.ledger, None)
        self.address = None
        self.funded: dict[str, int] = {}
        _keep_pause_enabled(self)

    # -- steps

    def deploy_contract(self, data) -> None:
        plan = self.plan
        self._count()
        if plan.setup is not None:
            address = self._deploy_as_scenario(plan.setup)
        else:
            address = self._deploy_generated(data)
        self.address = self.context.address = address
        self.transcript.aliases[address] = plan.instance_name
        self.funded = dict(self.ledger.state.supply())
        self._check_invariants("after the deploy")

    def fund_party(self, party, amount: Money) -> None:
        self._count()
        self.ledger.fund(party, amount)
        self.funded[amount.currency] = self.funded.get(amount.currency, 0) + amount.units
        self.transcript.steps.append(Funded(party, amount))
        self._check_conservation()

    def wait_for(self, duration) -> None:
        self._count()
        self.ledger.wait(duration)
        self.transcript.steps.append(Waited(duration))
        self._check_invariants("once the clock has moved on")

    def call_entry(self, data, entry_name: str) -> None:
        self._count()
        self.context.forget()
        call = draw_call(data, entry_name, self.context)
        if call.top_up is not None:  # the caller cannot pay what the clause asks: fund it first
            self.ledger.fund(call.caller, call.top_up)
            self.funded[call.top_up.currency] = self.funded.get(call.top_up.currency, 0) + call.top_up.units
            self.transcript.steps.append(Funded(call.caller, call.top_up))
        state = self.ledger.state
        entry = self.plan.info.entries[entry_name]
        allowed = is_allowed(entry, state.instances[self.address], call.caller)
        before = _observable(state)
        receipt = self._call(call)
        if receipt.ok:
            if not allowed:
                names = ", ".join(map(str, allowed_callers(entry, state.instances[self.address]) or ())) or "nobody"
                raise TabellionBug(
                    "permission", f"{call.caller} called {entry_name}, which only {names} may call, and it went through",
                    self.transcript.fail_here("expect fails", f"went through, but {call.caller} is not in the `by` clause"))
            self._check_invariants("after this call")
        else:
            decl = self._violated_invariant(receipt)
            if decl is not None:
                raise ContractFailure(
                    "invariant", f"invariant `{self.plan.invariant_text(decl)}` would be broken by this call",
                    self.transcript.fail_here("call", receipt.reason))
            if _observable(state) != before:
                raise TabellionBug(
                    "rollback", f"a refused call of {entry_name} ({receipt.reason}) changed the state",
                    self.transcript.fail_here("call", "refused, yet the state changed"))
        self._check_conservation()

    def _call(self, call):
        """Make `call` on the ledger and record it; any exception out of the engine is a bug."""
        try:
            receipt = self.ledger.call(self.address, call.entry, call.args, call.caller, call.paying)
        except Exception as error:  # noqa: BLE001
            self.transcript.steps.append(Called(call.entry, call.args, call.caller, call.paying, False, None))
            what = f"{type(error).__name__}: {error}"
            raise TabellionBug("internal", f"the engine raised {what}",
                               self.transcript.fail_here("call", f"internal error: {what}")) from error
        self.transcript.steps.append(
            Called(call.entry, call.args, call.caller, call.paying, receipt.ok, receipt.reason))
        return receipt

    # -- deploys

    def _deploy_as_scenario(self, setup):
        plan, ledger = self.plan, self.ledger
        runner = plan.runner
        scenario_context = ScenarioContext(runner, ledger)
        source = plan.checked.source
        for node in setup.prefix:
            result = self._guard(lambda node=node: runner.step(node, scenario_context, setup.home),
                                 "replaying the scenario")
            self.transcript.steps.append(Setup(source_text(source, node.span)))
            if not result.ok:
                raise ContractFailure(
                    "setup", f'scenario "{setup.scenario.name}" fails before its deploy: {result.text}: {result.message}',
                    self.transcript.fail_here(None, result.message or "fails"))
        node = setup.deploy

        def evaluate():
            args = tuple((arg.name.text, runner.evaluate(arg.value, scenario_context)) for arg in node.args)
            by = runner.evaluate(node.by, scenario_context) if node.by is not None else None
            paying = runner.evaluate(node.paying, scenario_context) if node.paying is not None else None
            return args, by, paying

        args, by, paying = self._guard(evaluate, "evaluating the deploy")
        self.transcript.aliases.update({address: name for name, address in scenario_context.instances.items()})
        from ..scenarios import DEFAULT_DEPLOYER
        from ..values import Party

        by = by if by is not None else Party(DEFAULT_DEPLOYER)
        return self._deploy(args, by, paying, on_failure="scenario")

    def _deploy_generated(self, data):
        plan = self.plan
        info = plan.info
        if plan.deploy_args is not None:
            args = tuple(plan.deploy_args.items())
            by = plan.deployer or plan.pool[0]
            paying = plan.opening
        else:
            args = []
            for name, param in info.params.items():
                if param.default is None:
                    args.append((name, data.draw(_param_strategy(param.type, plan), label=name)))
            for role in info.roles:
                members = data.draw(st.lists(parties(plan.pool), min_size=_ROLE_SIZE[0], max_size=_ROLE_SIZE[1],
                                             unique=True), label=role)
                args.append((role, members))
            for party in info.parties:
                args.append((party, data.draw(parties(plan.pool), label=party)))
            args = tuple(args)
            by = data.draw(parties(plan.pool), label="deployer")
            paying = data.draw(money(plan.native, "0.01 " + plan.native), label="opening") \
                if data.draw(_OPENING) else None
        if paying is not None and self.ledger.state.balances.get((by, paying.currency), 0) < paying.units:
            self.ledger.fund(by, paying)
            self.transcript.steps.append(Funded(by, paying))
        return self._deploy(args, by, paying, on_failure="reject" if plan.deploy_args is None else "report")

    def _deploy(self, args, by, paying, on_failure: str):
        plan = self.plan
        receipt = self._guard(lambda: self.ledger.deploy(plan.compiled, dict(args), by, paying), "deploying")
        self.transcript.steps.append(Deployed(plan.name, args, by, paying))
        if receipt.ok:
            return receipt.address
        if on_failure == "reject":
            reject()  # this draw of deploy arguments does not deploy; try others
        raise ContractFailure("setup", f"the deploy of {plan.name} fails: {receipt.reason}",
                              self.transcript.fail_here(None, receipt.reason))

    # -- checks

    def _violated_invariant(self, receipt):
        """The invariant declaration a refused call would have broken, or None.

        The engine raises its invariant failure at the declaration's span; a
        `require` or a missing key inside the invariant reverts elsewhere.
        """
        if "invariant" not in (receipt.reason or ""):
            return None
        return self.plan.invariants_by_span.get(receipt.span)

    def _check_invariants(self, when: str) -> None:
        plan = self.plan
        instance = self.ledger.state.instances.get(self.address)
        if instance is None or not plan.compiled.invariants:
            return
        tx = Transaction(gas.DEFAULT_GAS_LIMIT, self.ledger.now, self.ledger.height)
        x = Execution(self.ledger.engine, tx, instance, instance.address, Money(0, plan.native), 0)
        for function, decl in plan.compiled.invariants:
            text = plan.invariant_text(decl)
            try:
                holds = function(x)
                reason = None
            except (Revert, OutOfGas) as error:
                holds, reason = False, error.reason
            except Exception as error:  # noqa: BLE001
                raise TabellionBug("internal", f"evaluating invariant `{text}` raised {type(error).__name__}: {error}",
                                   self.transcript.fail_here(None, "internal error")) from error
            if not holds:
                note = f"invariant `{text}` no longer holds" + (f" ({reason})" if reason else "")
                raise ContractFailure("invariant", f"invariant `{text}` no longer holds {when}",
                                      self.transcript.fail_here(None, note))

    def _check_conservation(self) -> None:
        supply = {c: u for c, u in self.ledger.state.supply().items() if u}
        funded = {c: u for c, u in self.funded.items() if u}
        if supply != funded:
            raise TabellionBug(
                "conservation", f"the balances add up to {_amounts(supply)}, but {_amounts(funded)} was funded",
                self.transcript.fail_here(None, "money was created or destroyed"))

    # -- helpers

    def _count(self) -> None:
        stats = self.plan.stats
        stats.steps += 1
        if self.plan.on_step is not None:
            self.plan.on_step(stats)

    def _guard(self, action, doing: str):
        try:
            return action()
        except (TabellionError, OutOfGas) as error:  # the user's input: the scenario or the deploy
            raise ContractFailure("setup", f"{doing}: {error}", self.transcript.fail_here(None, str(error))) from error
        except Exception as error:  # noqa: BLE001 - InternalError and anything else: a bug in Tabellion
            raise TabellionBug("internal", f"{doing} raised {type(error).__name__}: {error}",
                               self.transcript.fail_here(None, "internal error")) from error


class _PauseEnabled:
    """Hypothesis' swarm testing (rules switched off per example), with `a_pause` never switched off."""

    def __new__(cls, names):
        from hypothesis.strategies._internal.featureflags import FeatureFlags, FeatureStrategy

        class Strategy(FeatureStrategy):
            def do_draw(self, data):
                if not data.draw_boolean():
                    return FeatureFlags(None)  # every rule on (and the shrinker's way)
                return FeatureFlags(data, enabled=("a_pause",), at_least_one_of=self._at_least_one_of)

        return Strategy(at_least_one_of=names)


def _keep_pause_enabled(machine) -> None:
    """Swarm testing may switch `a_pause` off for a whole example; then the shrinker's
    simplest step is some other rule, which it cannot delete. Keep it on.

    This reaches into Hypothesis' rule strategy (`enabled_rules_strategy`); if that
    changes, machines still run, with longer counterexamples.
    """
    rules = getattr(machine, "_rules_strategy", None)
    if rules is None or not hasattr(rules, "enabled_rules_strategy"):
        return
    try:
        names = frozenset(rule.function.__name__ for rule in rules.rules)
        rules.enabled_rules_strategy = st.shared(_PauseEnabled(names), key=("enabled rules", machine))
    except (ImportError, AttributeError, TypeError):
        return


def _copy(value):
    """A copy of a run-time value deep enough to compare with later: maps and lists are the mutable ones."""
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list:
        return [_copy(item) for item in value]
    if isinstance(value, tuple) and kind is not tuple:  # a record: immutable, but may hold a list
        return (kind, tuple(map(_copy, value)))
    return value


def _observable(state):
    """What `WorldState.snapshot()` holds (balances, every instance's storage, roles and params,
    nonces, issuance), copied for comparison only: about 4x cheaper than its deepcopy."""
    instances = {address: (_copy(i.storage), _copy(i.roles), _copy(i.params)) for address, i in state.instances.items()}
    return (_copy(state.balances), instances, dict(state.nonces), dict(state.issued))


def _amounts(totals: dict) -> str:
    if not totals:
        return "nothing"
    return ", ".join(str(Money(units, currency)) for currency, units in sorted(totals.items()))


def _param_strategy(t, plan: MachinePlan):
    """Deploy params: amounts, rates and durations that make sense in a deploy (not negative)."""
    if isinstance(t, MoneyT):
        return money(t.currency or plan.native)
    if isinstance(t, RateT):
        return rates()
    if isinstance(t, DurationT):
        return durations()
    return from_type(t, pool=plan.pool, currency=plan.native)


def _fund_amounts(native: str):
    return money(native, "0.01 " + native, "10_000_000 " + native)


def machine_for(checked, contract: str | None = None, **options) -> type[ContractMachine]:
    """A `RuleBasedStateMachine` subclass testing `contract` of `checked` (a CheckedModule or a path).

    Options are those of `MachinePlan`: `deploy={...}` (with `deployer=`, `opening=`)
    to fix the deploy, `use_scenario=False` to ignore the file's scenarios, `pool=`
    the parties. The class's `TestCase` runs it under pytest or unittest.
    """
    if isinstance(checked, MachinePlan):
        plan = checked
    else:
        if not hasattr(checked, "contracts"):
            from .handle import compile_path_or_source

            checked = compile_path_or_source(checked)
        plan = MachinePlan(checked, contract, **options)
    if plan.cannot_generate():
        raise ValueError(f"cannot deploy {plan.name}: {plan.cannot_generate()}")
    namespace = {"plan": plan, "__module__": __name__, "__qualname__": f"{plan.name}Machine"}

    @initialize(data=st.data())
    def deploy(self, data):
        self.deploy_contract(data)

    @rule(party=parties(plan.pool), amount=_fund_amounts(plan.native))
    def fund(self, party, amount):
        self.fund_party(party, amount)

    @rule(duration=durations("1m", "365d"))
    def wait(self, duration):
        self.wait_for(duration)

    @rule()
    def a_pause(self):
        """Does nothing, and is the rule Hypothesis sorts first (fewest arguments, then name).

        The shrinker turns a step it cannot delete whole into the simplest step,
        rule 0 with zero choices; when rule 0 is this one, that step is two
        choices long and the next pass deletes it, so counterexamples hold only
        the steps they need. It is never printed.
        """

    namespace.update(deploy=deploy, fund=fund, wait=wait, a_pause=a_pause)
    for entry_name in plan.entries:
        namespace["call_" + entry_name] = _call_rule(entry_name)
    machine = type(f"{plan.name}Machine", (ContractMachine,), namespace)
    machine.TestCase.settings = settings(max_examples=100, stateful_step_count=30, deadline=None,
                                         suppress_health_check=list(HealthCheck), report_multiple_bugs=False)
    return machine


def _call_rule(entry_name: str):
    def call(self, data):
        self.call_entry(data, entry_name)

    call.__name__ = call.__qualname__ = "call_" + entry_name
    return rule(data=st.data())(call)
