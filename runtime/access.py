"""Chain access control: read and write policies, member roles, and the one access decision.

Every read a node serves (state, blocks, transactions, receipts, events, membership,
a contract's ``visible to`` fields) and every transaction it accepts goes through
``decide``. It is a pure function of what the request names and of the chain's
policy and membership: it never looks anything up, so its answer cannot depend on
whether the thing asked for exists. A ledger that follows the protocol below
therefore tells a reader without rights nothing, not even whether a contract or an
account is there.

Protocol for callers:

1. Authenticate: an anonymous request has ``requester=None``; a signed read request
   (``tabellion.runtime.read_requests``) or a transaction gives the sender's address.
2. For ``READ_FIELD``, resolve the field with ``attrs.evolve(field, visible_to=...,
   requester_holds=...)`` from the contract (``visible_to=None`` if the contract or
   the field does not exist); an unresolved field is a programming error.
3. Call ``decide``; only when it allows, look the resource up and answer (``not
   found`` included). A resource naming a sender (``Transaction(sender=...)``)
   scopes the answer to that sender's transactions.

The rules, and the full matrix, are in docs/permissions.md; ``access_matrix()``
renders that matrix from this module, and a test keeps the two equal.
"""

import enum

import attrs

from tabellion.lang.errors import TabellionError

__all__ = [
    "ADMIN",
    "AUDITOR",
    "MEMBERS",
    "OPEN",
    "PRESETS",
    "READER",
    "ROLES",
    "VALIDATOR",
    "WRITER",
    "AccessDenied",
    "Account",
    "Action",
    "Block",
    "Contract",
    "Decision",
    "Events",
    "Field",
    "Membership",
    "Policy",
    "Transaction",
    "access_matrix",
    "decide",
    "enforce",
]

OPEN = "open"
MEMBERS = "members"

ADMIN = "admin"
VALIDATOR = "validator"
WRITER = "writer"
READER = "reader"
AUDITOR = "auditor"
ROLES = (ADMIN, VALIDATOR, WRITER, READER, AUDITOR)
_ROLE_SET = frozenset(ROLES)
# Chain roles that see every `visible to` field: the auditor's purpose, the admin's oversight.
_SEE_HIDDEN_FIELDS = (AUDITOR, ADMIN)


class AccessDenied(TabellionError):
    """A read or a transaction the chain's policy refuses; ``decision.reason`` says why."""

    def __init__(self, decision):
        self.decision = decision
        super().__init__(decision.reason)


@attrs.frozen
class Policy:
    """Who reads and who writes: each ``open`` (anyone) or ``members``; fixed in genesis."""

    read: str = attrs.field()
    write: str = attrs.field()

    @read.validator
    @write.validator
    def _check(self, attribute, value):
        if value not in (OPEN, MEMBERS):
            raise ValueError(f"{attribute.name} policy must be 'open' or 'members', not {value!r}")

    @classmethod
    def preset(cls, name: str) -> "Policy":
        """The policy of a preset: private, governmental, surveillance or public."""
        try:
            return PRESETS[name]
        except KeyError:
            raise ValueError(f"unknown chain policy {name!r}: expected one of {', '.join(PRESETS)}") from None

    @property
    def name(self) -> str:
        """The preset this policy is (the four presets cover every combination)."""
        return _PRESET_NAMES[(self.read, self.write)]

    def to_plain(self) -> dict:
        """The form kept in genesis: ``{"read": ..., "write": ...}``."""
        return {"read": self.read, "write": self.write}

    @classmethod
    def from_plain(cls, plain) -> "Policy":
        if not isinstance(plain, dict) or set(plain) != {"read", "write"}:
            raise ValueError(f"a policy is a map with keys 'read' and 'write', not {plain!r}")
        return cls(plain["read"], plain["write"])


PRESETS = {
    "private": Policy(MEMBERS, MEMBERS),
    "governmental": Policy(OPEN, MEMBERS),
    "surveillance": Policy(MEMBERS, OPEN),
    "public": Policy(OPEN, OPEN),
}
_PRESET_NAMES = {(policy.read, policy.write): name for name, policy in PRESETS.items()}


class Action(enum.Enum):
    """What a requester wants to do; the value is the action's name in read requests."""

    READ_STATE = "read-state"
    READ_FIELD = "read-field"
    READ_BLOCKS = "read-blocks"
    READ_TRANSACTIONS = "read-transactions"
    READ_RECEIPTS = "read-receipts"
    READ_EVENTS = "read-events"
    READ_MEMBERSHIP = "read-membership"
    SUBMIT_DEPLOY = "submit-deploy"
    SUBMIT_CALL = "submit-call"
    SUBMIT_TRANSFER = "submit-transfer"
    SUBMIT_MEMBERSHIP_CHANGE = "submit-membership-change"

    @property
    def is_read(self) -> bool:
        return self.value.startswith("read-")

    @property
    def phrase(self) -> str:
        """The action in a sentence: 'reading blocks', 'submitting a deploy transaction'."""
        return _PHRASES[self]


_PHRASES = {
    Action.READ_STATE: "reading state",
    Action.READ_FIELD: "reading a contract field",
    Action.READ_BLOCKS: "reading blocks",
    Action.READ_TRANSACTIONS: "reading transactions",
    Action.READ_RECEIPTS: "reading receipts",
    Action.READ_EVENTS: "reading events",
    Action.READ_MEMBERSHIP: "reading the membership",
    Action.SUBMIT_DEPLOY: "submitting a deploy transaction",
    Action.SUBMIT_CALL: "submitting a call transaction",
    Action.SUBMIT_TRANSFER: "submitting a transfer transaction",
    Action.SUBMIT_MEMBERSHIP_CHANGE: "submitting a membership change",
}


# -- resources: what a request names ---------------------------------------------


@attrs.frozen
class Account:
    """An account's balances and nonce."""

    address: str


@attrs.frozen
class Contract:
    """A contract's code, params, roles, balance and fields without ``visible to``."""

    address: str


class _Unresolved:
    def __repr__(self):
        return "UNRESOLVED"


UNRESOLVED = _Unresolved()


def _names(value):
    return value if value is None or value is UNRESOLVED else tuple(value)


@attrs.frozen
class Field:
    """One state field of a contract, resolved by the ledger before ``decide``.

    ``visible_to``: the field's ``visible to`` names (roles or parties of the
    contract), None for a field without the clause or one that does not exist.
    ``requester_holds``: the contract's role and party names the requester holds.
    """

    contract: str
    name: str
    visible_to: object = attrs.field(default=UNRESOLVED, converter=_names)
    requester_holds: frozenset = attrs.field(default=frozenset(), converter=frozenset)


@attrs.frozen
class Block:
    """A block by height, or the chain's head (its height and hash) when None."""

    height: int | None = None


@attrs.frozen
class Transaction:
    """A transaction or its receipt, by id; with ``sender``, only that sender's."""

    id: bytes | None = None
    sender: str | None = None


@attrs.frozen
class Events:
    """The events of one contract, or of every contract when None."""

    contract: str | None = None


@attrs.frozen
class Membership:
    """The chain's members, their roles, the quorum and open proposals."""


_RESOURCE_TYPES = {
    Action.READ_STATE: (Account, Contract),
    Action.READ_FIELD: (Field,),
    Action.READ_BLOCKS: (Block,),
    Action.READ_TRANSACTIONS: (Transaction,),
    Action.READ_RECEIPTS: (Transaction,),
    Action.READ_EVENTS: (Events,),
    Action.READ_MEMBERSHIP: (Membership,),
}


# -- the decision ------------------------------------------------------------------


@attrs.frozen
class Decision:
    """The answer to one access: allowed or not, and why (a denial's reason is shown to users)."""

    allowed: bool
    reason: str


def decide(policy: Policy, members, requester: str | None, action: Action, resource) -> Decision:
    """Whether ``requester`` (an address, None when anonymous) may do ``action`` on ``resource``.

    ``members`` maps an address to its chain roles (or is the membership value of
    ``runtime.membership``, whose ``"members"`` it then reads). Writes take ``resource=None``.
    Raises TypeError for arguments that do not fit together (a caller's bug).
    """
    _check_arguments(policy, action, resource)
    roles = _roles_of(members, requester)
    if action.is_read:
        return _decide_read(policy, roles, requester, action, resource)
    return _decide_write(policy, roles, requester, action)


def enforce(policy: Policy, members, requester: str | None, action: Action, resource) -> Decision:
    """``decide``, raising AccessDenied on a denial."""
    decision = decide(policy, members, requester, action, resource)
    if not decision.allowed:
        raise AccessDenied(decision)
    return decision


def _check_arguments(policy, action, resource):
    if not isinstance(policy, Policy):
        raise TypeError(f"policy must be a Policy, not {type(policy).__name__}")
    if not isinstance(action, Action):
        raise TypeError(f"action must be an Action, not {type(action).__name__}")
    if not action.is_read:
        if resource is not None:
            raise TypeError(f"{action.phrase} takes no resource, not {resource!r}")
        return
    expected = _RESOURCE_TYPES[action]
    if type(resource) not in expected:
        names = " or ".join(kind.__name__ for kind in expected)
        raise TypeError(f"{action.phrase} needs a resource of type {names}, not {resource!r}")
    if type(resource) is Field and resource.visible_to is UNRESOLVED:
        raise TypeError(f"resolve visible_to of field {resource.name!r} before deciding (None if it does not exist)")


def _roles_of(members, requester) -> frozenset:
    if requester is None:
        return frozenset()
    if "quorum" in members:  # the whole membership value (runtime.membership): its members
        members = members["members"]
    return frozenset(members.get(requester, ())) & _ROLE_SET


def _names_requester(resource, requester) -> bool:
    """Whether the resource is the requester's own account or its own transactions."""
    if requester is None:
        return False
    if type(resource) is Account:
        return resource.address == requester
    return type(resource) is Transaction and resource.sender == requester


def _decide_read(policy, roles, requester, action, resource) -> Decision:
    if _names_requester(resource, requester):
        return Decision(True, "a signed requester always reads its own account and transactions")
    if policy.read == MEMBERS and not roles:
        # Depends on the policy and the action only: a reader without rights learns nothing.
        who = "anonymous requests are refused" if requester is None else "the requester is not a member"
        return Decision(False, f"access denied: {action.phrase} on a {policy.name} chain needs the reader role ({who})")
    if policy.read == OPEN:
        basis = "the chain's read policy is open"
    else:
        basis = f"members with the {_listing(roles)} role read"
    if type(resource) is Field and resource.visible_to is not None:
        return _decide_hidden_field(roles, requester, resource, basis)
    return Decision(True, basis)


def _decide_hidden_field(roles, requester, field, basis) -> Decision:
    # An anonymous requester holds no contract role, whatever the resource claims.
    holds = sorted(set(field.visible_to) & field.requester_holds) if requester is not None else []
    if holds:
        return Decision(True, f"{basis}, and field {field.name!r} is visible to {holds[0]}, which the requester is")
    chain_roles = [role for role in _SEE_HIDDEN_FIELDS if role in roles]
    if chain_roles:
        return Decision(True, f"{basis}, and the chain's {chain_roles[0]}s read every field")
    names = ", ".join(field.visible_to) or "no contract role"
    return Decision(
        False,
        f"access denied: field {field.name!r} of contract {field.contract} is visible to {names} only"
        " (and to the chain's auditors and admins)",
    )


def _decide_write(policy, roles, requester, action) -> Decision:
    if requester is None:
        return Decision(False, f"access denied: {action.phrase} needs a signed transaction")
    if action is Action.SUBMIT_MEMBERSHIP_CHANGE:
        if ADMIN in roles:
            return Decision(True, "admins propose and approve membership changes")
        return Decision(False, f"access denied: {action.phrase} needs the admin role")
    if policy.write == OPEN:
        return Decision(True, "the chain's write policy is open")
    if WRITER in roles:
        return Decision(True, "members with the writer role write")
    return Decision(False, f"access denied: {action.phrase} on a {policy.name} chain needs the writer role")


def _listing(roles) -> str:
    return "/".join(role for role in ROLES if role in roles)


# -- the matrix, rendered for docs/permissions.md ------------------------------------

_SELF = "tb1" + "a" * 40
_CONTRACT = "tb1" + "c" * 40
_OTHER = "tb1" + "b" * 40
_REQUESTERS = (("anonymous", None, ()), ("non-member", _SELF, ())) + tuple(
    (role, _SELF, (role,)) for role in (READER, WRITER, VALIDATOR, AUDITOR, ADMIN)
)
_READ_ROWS = (
    ("account state (another's)", Action.READ_STATE, Account(_OTHER)),
    ("own account (balance, nonce)", Action.READ_STATE, Account(_SELF)),
    ("contract state", Action.READ_STATE, Contract(_CONTRACT)),
    ("field without `visible to`", Action.READ_FIELD, Field(_CONTRACT, "count", None)),
    ("field `visible to R`, requester in R", Action.READ_FIELD, Field(_CONTRACT, "p", ("insurer",), {"insurer"})),
    ("field `visible to R`, requester not in R", Action.READ_FIELD, Field(_CONTRACT, "p", ("insurer",))),
    ("blocks", Action.READ_BLOCKS, Block(1)),
    ("transactions / receipts (another's)", Action.READ_TRANSACTIONS, Transaction(b"\1" * 32)),
    ("own transactions / receipts", Action.READ_RECEIPTS, Transaction(None, _SELF)),
    ("events", Action.READ_EVENTS, Events()),
    ("membership", Action.READ_MEMBERSHIP, Membership()),
)
_WRITE_ROWS = tuple((action.value.removeprefix("submit-"), action, None) for action in Action if not action.is_read)


def access_matrix() -> str:
    """The access matrix as Markdown tables, computed by ``decide`` itself."""
    sections = []
    for title, rows, attribute in (("Reads", _READ_ROWS, "read"), ("Writes", _WRITE_ROWS, "write")):
        for setting in (OPEN, MEMBERS):
            presets = [name for name, policy in PRESETS.items() if getattr(policy, attribute) == setting]
            policy = PRESETS[presets[0]]
            header = [f"{title}, {attribute} policy `{setting}` ({', '.join(presets)})"]
            header += [name for name, _, _ in _REQUESTERS]
            lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
            for label, action, resource in rows:
                cells = [
                    "yes" if decide(policy, {_SELF: roles}, requester, action, resource).allowed else "no"
                    for _, requester, roles in _REQUESTERS
                ]
                lines.append("| " + " | ".join([label] + cells) + " |")
            sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n"
