"""`tabellion run FILE --chain DIR`: scenarios played as signed transactions on a dev chain.

Each party a scenario names signs with a development key derived from its name
and the scenario's (`keys.dev_keypair("SCENARIO/alice")`): as on the development
ledger, every scenario starts with parties that hold nothing, even when several
scenarios play on one chain. Only a chain created with `chain init DIR --dev`
accepts development keys. Every step that
changes the chain is one block of one transaction: `fund` (a fund transaction
signed by the development key `faucet`), `deploy`, `call` and `expect fails`.
`wait` and `at` move the clock of the next block; `expect` reads the state after
the last block. Party names become addresses everywhere (arguments, roles, `by`,
balances) and print back as names. The chain keeps what the scenarios did:
running a file twice plays it again with the same parties, on the state the first
run left (so expectations about balances may then fail).
"""

from __future__ import annotations

import os
import re
import sys

import attrs

from . import gas
from .chain.cli_support import validator_signer
from .chain.codec import party as interned_party
from .chain.errors import ChainError
from .chain.node import Chain
from .chain.transactions import Call, Deploy, Fund, sign_transaction
from .chain.world import module_imports
from .commands.run import Report, select_scenarios
from .errors import TabellionError
from .keys import dev_keypair, is_address
from .ledger import GENESIS_TIME, ScenarioClock
from .numeric import Money
from .receipts import Receipt
from .scenarios import ScenarioContext, ScenarioRunner
from .temporal import Time
from .values import Party, Record

__all__ = ["ChainLedger", "run_on_chain"]

FAUCET = "faucet"


class ChainLedger(ScenarioClock):
    """The DevLedger interface over a chain: each change is a signed transaction in a block.

    Parties sign with development keys (scoped by scenario, see `begin`), so the chain
    must be in dev mode, unless `keys` is given: an object with `address(name)` and
    `keypair(name)` that resolves party names (`tabellion repl --chain` passes the
    keystore's, with development keys as the fallback on a dev chain).
    """

    def __init__(self, chain: Chain, gas_limit: int = gas.DEFAULT_GAS_LIMIT, keys=None):
        if keys is None and not chain.config.dev:
            raise ChainError("scenarios sign with development keys: the chain must be in dev mode "
                             "(create one with `tabellion chain init DIR --dev`)")
        self.chain = chain
        self.keys = keys
        validator_signer(chain)  # fails early when this node holds no validator key
        self.now: Time = max(Time(chain.head.timestamp), GENESIS_TIME)
        self.gas_limit = gas_limit
        self.receipts: list[Receipt] = []
        self.names: dict[str, str] = {}   # address -> the name it was derived from, or a contract's name
        self.blocks: list[int] = []
        self.scope = ""
        self.seen: set = set()             # the addresses the current scenario used

    def begin(self, scenario_name: str) -> None:
        """Give the parties of the scenario about to play keys of their own."""
        self.scope = scenario_name
        self.seen = set()

    # -- the DevLedger interface

    @property
    def state(self):
        return self.chain.state

    @property
    def engine(self):
        return self.chain.executor.engine

    @property
    def native(self) -> str:
        return self.chain.state.native

    @property
    def height(self) -> int:
        return self.chain.height

    def address(self, party: Party) -> Party:
        """The address a scenario party stands for: itself if it is one, else its dev key's."""
        name = party.name
        if is_address(name):
            return party
        address = self.keys.address(name) if self.keys is not None else self._keypair(name).address
        self.names.setdefault(address, name)
        self.seen.add(address)
        return interned_party(address)

    def _keypair(self, name: str):
        if self.keys is not None:
            return self.keys.keypair(name)
        return dev_keypair(f"{self.scope}/{name}" if self.scope else name)

    def fund(self, party: Party, amount: Money) -> None:
        if not self.chain.config.dev:
            raise ChainError("`fund` creates money: only a dev chain (`tabellion chain init DIR --dev`) allows it")
        receipt = self._submit(Party(FAUCET), Fund(self.address(party), amount))
        if not receipt.ok:
            raise ChainError(f"fund failed: {receipt.reason}")

    def deploy(self, compiled, args: dict, by: Party, paying: Money | None = None, gas_limit=None) -> Receipt:
        info = compiled.info
        values = {name: self._to_chain(value) for name, value in args.items()}
        for role in info.roles:
            if role not in values:
                values[role] = [self.address(Party(role))]
        for name in info.parties:
            if name not in values:
                values[name] = self.address(Party(name))
        checked = compiled.checked
        payload = Deploy(os.path.basename(checked.module.path), checked.source, module_imports(checked), info.name,
                         values, paying)
        receipt = self._submit(by, payload, gas_limit)
        if receipt.ok:
            self.names[receipt.address.name] = f"{info.name}@{receipt.address.name[:9]}"
            self.seen.add(receipt.address.name)
        return receipt

    def call(self, address: Party, entry: str, args: tuple, by: Party, paying: Money | None = None,
             gas_limit=None, trace=None) -> Receipt:
        payload = Call(self.address(address), entry, tuple(self._to_chain(value) for value in args), paying)
        return self._submit(by, payload, gas_limit)

    def balance(self, party: Party, currency: str | None = None) -> Money:
        return self.chain.state.balance(self.address(party), currency)

    # -- signing and submitting

    def _signer(self, by: Party):
        if by.name == FAUCET:
            return dev_keypair(FAUCET)
        address = self.address(by).name
        name = self.names.get(address)
        keypair = self._keypair(name) if name is not None and "@" not in name else None
        if keypair is None or keypair.address != address:
            raise ChainError(f"cannot sign as {by}: it is not a party of this scenario")
        return keypair

    def _submit(self, by: Party, payload, gas_limit=None) -> Receipt:
        signer = self._signer(by)
        chain = self.chain
        tx = sign_transaction(signer, chain.config.chain_id, chain.nonce(signer.address),
                              gas_limit or self.gas_limit, payload)
        result = chain.propose([tx], validator_signer(chain, self.now.seconds), timestamp=self.now.seconds)
        if result.rejected:
            raise ChainError(f"transaction rejected: {result.rejected[0][1]}")
        if result.header is None:
            raise ChainError("the transaction did not fit in a block")
        self.blocks.append(result.header.height)
        (_, receipt), = result.included
        self.receipts.append(receipt)
        return receipt

    def _to_chain(self, value):
        """`value` with every scenario party replaced by its address."""
        kind = type(value)
        if kind is Party:
            return self.address(value)
        if kind is list:
            return [self._to_chain(item) for item in value]
        if kind is dict:
            return {self._to_chain(key): self._to_chain(item) for key, item in value.items()}
        if isinstance(value, Record):
            return tuple.__new__(kind, [self._to_chain(item) for item in value])
        return value


class ChainContext(ScenarioContext):
    """Scenario expressions see parties as their addresses."""

    def party(self, name: str) -> Party:
        return self.ledger.address(Party(name))


class ChainScenarioRunner(ScenarioRunner):
    """A ScenarioRunner whose scenarios all play on one ChainLedger."""

    def prepare(self, scenario, ledger) -> tuple:
        ledger.begin(scenario.name)
        return ledger, ChainContext(self, ledger)


_ADDRESS = re.compile(r"tb1[0-9a-f]{40}")


def run_on_chain(checked, args) -> int:
    """Play the scenarios of `checked` on the chain in `args.chain`; the exit status."""
    from .commands.run import _sources

    if args.trace:
        print("note: --trace is not available with --chain (the chain runs its own compiled code)", file=sys.stderr)
    try:
        chain = Chain.open(args.chain)
    except TabellionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    with chain:
        ledger = ChainLedger(chain)
        sources = _sources(checked)
        sources.update({os.path.basename(path): text for path, text in list(sources.items())})  # spans on a chain
        report = _ChainReport(sys.stdout, args, sources, ledger)
        runner = ChainScenarioRunner(checked, report.observe, None, chain.state.native)
        scenarios = select_scenarios(runner, args)
        if not scenarios:
            return 0 if scenarios is not None else 1
        results = [runner.run(scenario, home, ledger) for scenario, home in scenarios]
        report.summary(results)
        if ledger.blocks:
            print(f"chain {chain.config.chain_id} in {args.chain}: {len(ledger.blocks)} transactions in blocks "
                  f"{ledger.blocks[0]} to {ledger.blocks[-1]}; head state root {chain.head.state_root.hex()}")
        return 0 if all(r.ok for r in results) else 1


class _ChainReport(Report):
    """The run report, with addresses printed as the names they came from."""

    def __init__(self, out, args, sources, ledger: ChainLedger):
        super().__init__(out, args, sources)
        self.ledger = ledger

    def write(self, text: str = "") -> None:
        names = self.ledger.names
        super().write(_ADDRESS.sub(lambda m: names.get(m.group(0), m.group(0)), text))

    def _payments(self, receipt) -> None:
        """Record payments under the parties' names, so that `--explain NAME` finds them."""
        if receipt is not None and receipt.ok:
            names = self.ledger.names
            for transfer in receipt.transfers:
                named = attrs.evolve(transfer, source=Party(names.get(transfer.source.name, transfer.source.name)),
                                     target=Party(names.get(transfer.target.name, transfer.target.name)))
                self.payments.append((self.scenario_name, named))

    def _end(self, result) -> None:
        names = self.ledger.names
        state = result.ledger.state
        seen = self.ledger.seen
        rows = sorted((names.get(owner.name, owner.name), currency, units)
                      for (owner, currency), units in state.balances.items() if units and owner.name in seen)
        if rows and not self.args.quiet:
            width = max(len(r[0]) for r in rows)
            self.write("  balances:")
            for owner, currency, units in rows:
                self.write(f"    {owner:<{width}}  {Money(units, currency)!s:>18}")
        self.write(f"  {'passed' if result.ok else 'FAILED'}\n")
