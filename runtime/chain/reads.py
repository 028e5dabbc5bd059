"""The node's read interface: every read of a chain, authenticated and access-checked.

A client reads by sending the wire bytes of a signed `ReadRequest`
(`runtime/read_requests.py`), or None to read anonymously. `Reads` follows the
protocol of `runtime/access.py` for each of them:

1. authenticate: the request must be for this chain, correctly signed, fresh and
   not replayed (`verify_read_request`), and ask for what is being read;
2. resolve a field's `visible to` names and the contract names the requester holds;
3. `access.decide`, and only when it allows, look the thing up and answer.

So on a `members`-read chain an anonymous or non-member reader learns nothing, not
even whether a contract or a block exists: the refusal comes before any lookup and
its reason names only the policy and the action.

A contract's whole state is answered field by field: a field the requester may not
see is returned as the `AccessDenied` that refuses it, the rest with their values.
"""

from __future__ import annotations

import time

import attrs
from tabellion.runtime import access
from tabellion.runtime.access import Action, enforce
from tabellion.runtime.read_requests import (
    ReadRequest,
    ReadRequestRejected,
    ReplayGuard,
    resource_to_plain,
    verify_read_request,
)
from tabellion.runtime.values import Party

from . import codec
from .blocks import decode_header, decode_receipt

__all__ = ["ContractView", "Reads", "sign_read"]


def sign_read(keypair, chain_id: str, action: Action, resource, now: int | None = None) -> bytes | None:
    """The wire bytes of a read request signed by `keypair` (None when `keypair` is None: anonymous)."""
    if keypair is None:
        return None
    stamp = int(time.time()) if now is None else now
    return ReadRequest.sign(keypair, chain_id, action, resource, timestamp=stamp).to_bytes()


@attrs.frozen
class ContractView:
    """A contract's state as one requester may see it: a denied field holds its AccessDenied."""

    address: Party
    name: str
    code_hash: bytes
    file: str
    deployer: Party
    balances: tuple
    params: dict
    roles: dict
    fields: dict   # name -> value, None (not set), or AccessDenied


class Reads:
    """The reads one node serves on one open chain; `clock` gives the node's time in seconds."""

    def __init__(self, chain, clock=time.time, replay_guard: ReplayGuard | None = None):
        self.chain = chain
        self.clock = clock
        self.replay_guard = replay_guard if replay_guard is not None else ReplayGuard()

    # -- authentication and decision

    def authenticate(self, request: bytes | None, action: Action, resource) -> str | None:
        """The requester's address (None: anonymous); ReadRequestRejected for a bad request."""
        if request is None:
            return None
        if isinstance(request, ReadRequest):
            request = request.to_bytes()
        parsed = ReadRequest.from_bytes(request)
        reader = verify_read_request(parsed, chain_id=self.chain.config.chain_id, now=int(self.clock()),
                                     replay_guard=self.replay_guard)
        if parsed.action is not action or resource_to_plain(parsed.resource) != resource_to_plain(resource):
            raise ReadRequestRejected(f"read request refused: it asks for {parsed.action.value} "
                                      f"{list(resource_to_plain(parsed.resource))}, not {action.value} "
                                      f"{list(resource_to_plain(resource))}")
        return reader

    def check(self, request: bytes | None, action: Action, resource) -> str | None:
        """Authenticate, then `access.enforce`: the requester, or AccessDenied / ReadRequestRejected."""
        requester = self.authenticate(request, action, resource)
        self.decide(requester, action, resource)
        return requester

    def decide(self, requester, action: Action, resource):
        """`access.enforce` with this chain's policy and current membership."""
        state = self.chain.state
        return enforce(state.config.policy, state.membership, requester, action, resource)

    # -- state

    def state(self, request, address: str):
        """An account's (balances, nonce, chain roles) or a contract's ContractView.

        The request names `Account(address)` for the requester's own account, else `Contract(address)`.
        """
        resource = access.Account(address) if _asks_account(request, address) else access.Contract(address)
        requester = self.check(request, Action.READ_STATE, resource)
        state = self.chain.state
        party = Party(address)
        instance = state.instances.get(party)
        if instance is None:
            return (balances(state, party), state.nonces.get(party, 0),
                    state.membership["members"].get(address, ()))
        info = instance.contract.info
        holds = holdings(instance, requester)
        fields = {}
        for name, field in info.state.items():
            resolved = access.Field(address, name, field.visible_to, holds)
            decision = access.decide(state.config.policy, state.membership, requester, Action.READ_FIELD, resolved)
            fields[name] = instance.storage.get(name) if decision.allowed else access.AccessDenied(decision)
        code_hash = state.instance_code.get(party, b"")
        code = state.codes.get(code_hash)
        return ContractView(party, instance.name, code_hash, code.file if code else "?", instance.deployer,
                            tuple(balances(state, party)), dict(instance.params),
                            {role: list(members) for role, members in instance.roles.items()}, fields)

    def field(self, request, contract: str, name: str):
        """One field of a contract (a state field, param, role or `balance`): (found, value)."""
        requester = self.authenticate(request, Action.READ_FIELD, access.Field(contract, name))
        state = self.chain.state
        instance = state.instances.get(Party(contract))
        info = instance.contract.info if instance is not None else None
        visible_to = info.state[name].visible_to if info is not None and name in info.state else None
        self.decide(requester, Action.READ_FIELD,
                    access.Field(contract, name, visible_to, holdings(instance, requester)))
        if instance is None:
            return False, None
        if name == "balance":
            return True, balances(state, instance.address)
        roles = {role: list(members) for role, members in instance.roles.items()}
        for table in (instance.storage, instance.params, roles):
            if name in table:
                return True, table[name]
        return False, None

    # -- blocks, transactions, events, membership

    def head(self, request):
        """The head block's header (what `chain status` reads)."""
        self.check(request, Action.READ_BLOCKS, access.Block(None))
        return self.chain.head

    def blocks(self, request, start: int = 0, stop: int | None = None):
        """[(height, hash, Header)] from `start` to `stop` (exclusive; None: the head)."""
        self.check(request, Action.READ_BLOCKS, access.Block(None))
        return [(height, block_hash, decode_header(header_bytes))
                for height, block_hash, header_bytes, _ in self.chain.storage.blocks(max(start, 0), stop)]

    def block(self, request, height: int):
        """(hash, Header, proof, [(tx hash, tx bytes, receipt bytes)]) of one block, or None."""
        self.check(request, Action.READ_BLOCKS, access.Block(height))
        row = self.chain.storage.block(height)
        if row is None:
            return None
        block_hash, header_bytes, proof = row
        return block_hash, decode_header(header_bytes), proof, self.chain.storage.transactions(height)

    def events(self, request, contract: str | None = None):
        """[(height, tx hash, contract, event name, [(field, value)...])], oldest first."""
        self.check(request, Action.READ_EVENTS, access.Events(contract))
        found = []
        storage = self.chain.storage
        for height in range(1, storage.head() + 1):
            for tx_hash, _, receipt in storage.transactions(height):
                if receipt is None:
                    continue
                for address, _, name, values in decode_receipt(receipt)["events"]:
                    address = str(address)
                    if contract is None or address == contract:
                        found.append((height, tx_hash, address, name,
                                      [(key, codec.to_runtime(value)) for key, value in values]))
        return found

    def membership(self, request) -> dict:
        """The membership value: members and roles, quorum, proposals."""
        self.check(request, Action.READ_MEMBERSHIP, access.Membership())
        return self.chain.state.membership


def _asks_account(request, address) -> bool:
    if request is None:
        return False
    try:
        parsed = request if isinstance(request, ReadRequest) else ReadRequest.from_bytes(request)
    except ReadRequestRejected:
        return False
    return type(parsed.resource) is access.Account and parsed.resource.address == address


def holdings(instance, requester) -> frozenset:
    """The role and party names of a contract that `requester` (an address, or None) holds."""
    if instance is None or requester is None:
        return frozenset()
    party = Party(requester)
    info = instance.contract.info
    held = {role for role, members in instance.roles.items() if party in members}
    held |= {name for name in info.parties if instance.params.get(name) == party}
    return frozenset(held)


def balances(state, party) -> list:
    from tabellion.runtime.numeric import Money

    found = [Money(units, currency) for (owner, currency), units in state.balances.items() if owner == party and units]
    return sorted(found, key=lambda m: m.currency) or [Money(0, state.native)]
