"""Checking transactions and running them on a ChainState, into receipts.

`check` refuses a transaction before it runs (TransactionRejected: nothing
changes). The checks, cheapest first: chain id, gas limit against the block gas
limit, kind (`fund` needs a dev chain), signature, development key on a chain
not in dev mode, the access check (`access.decide` with the chain's policy and
membership: the write policy for deploy, call, transfer and fund, the admin role
for membership changes), nonce (exactly the sender's next one).

`execute` then always yields a receipt: it uses the nonce, and runs the payload
through the engine (deploy, call) or directly (transfer, fund, membership). A
payload that fails (a revert, out of gas, arguments of the wrong type, a source
that does not compile) gives a failed receipt; the transaction stays in its block
and its nonce is used. Gas is a limit on work, not a fee: no balance pays for it.
"""

from __future__ import annotations

from tabellion.runtime import gas
from tabellion.runtime.access import Action, decide
from tabellion.runtime.engine import Engine
from tabellion.runtime.errors import InternalError, Revert
from tabellion.runtime.keys import address_of, is_address
from tabellion.runtime.receipts import OUT_OF_GAS, REVERTED, SUCCESS, Receipt, Transfer
from tabellion.runtime.values import Party

from . import codec
from .arguments import check_value, deploy_types
from .devkeys import dev_name_of
from .errors import (
    BadSignature,
    DevKeyRefused,
    GasLimitTooHigh,
    NonceMismatch,
    TransactionRejected,
    WriteDenied,
    WrongChain,
    WrongKind,
)
from .transactions import contract_address
from .world import ChainState, Code, compile_code

__all__ = ["Executor", "InternalRejection"]


# The access action of each transaction kind; `fund` (dev chains only) creates money as a transfer would move it.
_ACTIONS = {
    "deploy": Action.SUBMIT_DEPLOY,
    "call": Action.SUBMIT_CALL,
    "transfer": Action.SUBMIT_TRANSFER,
    "fund": Action.SUBMIT_TRANSFER,
    "membership": Action.SUBMIT_MEMBERSHIP_CHANGE,
}


class InternalRejection(TransactionRejected):
    """A transaction that made Tabellion fail (a bug): left out of the block, state untouched."""


class Executor:
    """Runs transactions on one ChainState with one Engine."""

    def __init__(self, state: ChainState):
        self.state = state
        self.engine = Engine(state)
        self.engine.deployed = len(state.instances)
        self._senders: dict[bytes, Party] = {}

    def sender(self, public_key: bytes) -> Party:
        party = self._senders.get(public_key)
        if party is None:
            if len(self._senders) > 100_000:
                self._senders.clear()
            party = self._senders[public_key] = codec.party(address_of(public_key))
        return party

    # -- rejection

    def check(self, tx) -> None:
        """Raise TransactionRejected if `tx` cannot go into a block on the current state."""
        config = self.state.config
        if tx.chain_id != config.chain_id:
            raise WrongChain(f"wrong chain: the transaction is for chain '{tx.chain_id}', this is '{config.chain_id}'")
        if tx.gas_limit > config.block_gas_limit:
            raise GasLimitTooHigh(f"gas limit {tx.gas_limit:_} is above the block gas limit "
                                  f"{config.block_gas_limit:_}")
        if tx.kind == "fund" and not config.dev:
            raise WrongKind("fund transactions are accepted only on development chains")
        if not tx.signature_ok():
            raise BadSignature("bad signature: it does not match the transaction and the sender's key")
        sender = self.sender(tx.sender)
        if not config.dev:
            name = dev_name_of(tx.sender)
            if name is not None:
                raise DevKeyRefused(f"the sender's key is the development key of '{name}', refused on a chain "
                                    "that is not in dev mode")
        decision = decide(config.policy, self.state.membership, sender.name, _ACTIONS[tx.kind], None)
        if not decision.allowed:
            raise WriteDenied(decision)
        expected = self.state.nonces.get(sender, 0)
        if tx.nonce != expected:
            if tx.nonce < expected:
                raise NonceMismatch(f"nonce {tx.nonce} of {sender} was already used: its next nonce is {expected}")
            raise NonceMismatch(f"nonce {tx.nonce} of {sender} skips ahead: its next nonce is {expected}")

    # -- execution

    def execute(self, tx, now, height: int) -> Receipt:
        """Use `tx`'s nonce and run it; InternalRejection (state untouched) if Tabellion fails."""
        state = self.state
        savepoint = state.savepoint()
        deployed = self.engine.deployed
        sender = self.sender(tx.sender)
        try:
            state.set_nonce(sender, tx.nonce + 1)
            return _RUNNERS[tx.kind](self, tx, sender, now, height)
        except InternalError as error:
            state.rollback(savepoint)
            self.engine.deployed = deployed
            raise InternalRejection(f"internal error: {error} — this is a bug in Tabellion, please report it")
        except Exception as error:
            state.rollback(savepoint)
            self.engine.deployed = deployed
            raise InternalRejection(f"internal error: {type(error).__name__}: {error} — this is a bug in "
                                    "Tabellion, please report it") from error

    def _deploy(self, tx, sender, now, height) -> Receipt:
        payload = tx.payload
        code = Code(payload.file, payload.source, payload.imports)
        try:
            compiled = compile_code(code).get(payload.contract)
        except Revert:
            raise
        except Exception as error:  # noqa: BLE001 - CompileError and anything the front end raises on bad text
            return _failed(tx, "deploy", payload.contract, sender, f"the source does not compile: {_first(error)}")
        if compiled is None:
            return _failed(tx, "deploy", payload.contract, sender, f"the source has no contract '{payload.contract}'")
        why = _deploy_arguments_problem(compiled.info, payload.args)
        if why:
            return _failed(tx, "deploy", payload.contract, sender, why)
        address = Party(contract_address(sender.name, tx.nonce))
        receipt = self.engine.deploy(compiled, payload.args, sender, payload.paying, tx.gas_limit, now, height,
                                     address=address)
        if receipt.ok:
            code_hash = self.state.add_code(code)
            self.state.set_instance_code(address, code_hash)
        return receipt

    def _call(self, tx, sender, now, height) -> Receipt:
        payload = tx.payload
        instance = self.state.instances.get(payload.contract)
        if instance is not None:
            entry = instance.contract.info.entries.get(payload.entry)
            why = None
            if entry is None:
                why = f"{instance.name} has no entry '{payload.entry}'"
            elif len(payload.args) != len(entry.params):
                why = f"{entry.name} takes {len(entry.params)} arguments, got {len(payload.args)}"
            else:
                why = next((f"argument '{name}' of {entry.name}: {problem}"
                            for (name, kind), value in zip(entry.params, payload.args)
                            if (problem := check_value(value, kind))), None)
            if why:
                return _failed(tx, "call", payload.entry, sender, why)
        return self.engine.call(payload.contract, payload.entry, payload.args, sender, payload.paying,
                                tx.gas_limit, now, height)

    def _transfer(self, tx, sender, now, height) -> Receipt:
        payload = tx.payload
        if tx.gas_limit < gas.TRANSACTION:
            return _out_of_gas(tx, "transfer", sender)
        if not is_address(payload.to.name):
            return _failed(tx, "transfer", None, sender, f"the recipient '{payload.to}' is not an address")
        if payload.amount.units <= 0:
            return _failed(tx, "transfer", None, sender, f"cannot transfer {payload.amount}: amounts are positive")
        try:
            self.state.transfer(sender, payload.to, payload.amount)
        except Revert as error:
            return _failed(tx, "transfer", None, sender, error.reason)
        moved = (Transfer(sender, payload.to, payload.amount, None, "transfer"),)
        return Receipt(SUCCESS, gas.TRANSACTION, tx.gas_limit, transfers=moved, kind="transfer", caller=sender)

    def _fund(self, tx, sender, now, height) -> Receipt:
        payload = tx.payload
        if tx.gas_limit < gas.TRANSACTION:
            return _out_of_gas(tx, "fund", sender)
        if payload.amount.units <= 0:
            return _failed(tx, "fund", None, sender, f"cannot fund {payload.amount}: amounts are positive")
        self.state.issue(payload.to, payload.amount)
        return Receipt(SUCCESS, gas.TRANSACTION, tx.gas_limit, kind="fund", caller=sender)

    def _membership(self, tx, sender, now, height) -> Receipt:
        from tabellion.runtime.membership import MembershipRejected, execute

        operation = tx.payload.operation
        if tx.gas_limit < gas.TRANSACTION:
            return _out_of_gas(tx, "membership", sender)
        try:
            membership, outcome = execute(self.state.membership, sender.name, operation, height=height)
        except MembershipRejected as error:
            return _failed(tx, "membership", operation["op"], sender, str(error))
        self.state.set_membership(membership)
        return Receipt(SUCCESS, gas.TRANSACTION, tx.gas_limit, value=outcome.proposal, kind="membership",
                       entry=f"{operation['op']} ({'applied' if outcome.applied else 'pending'})", caller=sender)


_RUNNERS = {
    "deploy": Executor._deploy,
    "call": Executor._call,
    "transfer": Executor._transfer,
    "fund": Executor._fund,
    "membership": Executor._membership,
}


def _failed(tx, kind, entry, sender, reason) -> Receipt:
    return Receipt(REVERTED, min(gas.TRANSACTION, tx.gas_limit), tx.gas_limit, reason, kind=kind, entry=entry,
                   caller=sender)


def _out_of_gas(tx, kind, sender) -> Receipt:
    return Receipt(OUT_OF_GAS, tx.gas_limit, tx.gas_limit, f"out of gas (limit {tx.gas_limit:_})", kind=kind,
                   caller=sender)


def _first(error) -> str:
    diagnostics = getattr(error, "diagnostics", None)
    if diagnostics:
        first = diagnostics[0]
        return f"{first.span}: error[{first.code}]: {first.message}"
    return " ".join(str(error).split())


def _deploy_arguments_problem(info, args: dict) -> str | None:
    types = deploy_types(info)
    for name, value in args.items():
        if name not in types:
            return f"{info.name} has no param, role or party named '{name}'"
        why = check_value(value, types[name])
        if why:
            return f"argument '{name}' of the deploy of {info.name}: {why}"
    for name in (*info.roles, *info.parties):
        if name not in args:
            return f"a deploy of {info.name} on a chain must name its {'role' if name in info.roles else 'party'} " \
                   f"'{name}'"
    return None
