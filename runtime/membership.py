"""Membership governance: members, their roles, and changes approved by a quorum of admins.

The membership is a plain value (dicts, tuples, strings, ints) that the ledger keeps
in chain state, so the state root commits to it and ``encode`` gives it canonical
bytes. Every function here is pure: it returns a new value and never changes the
one it was given; a refused operation raises ``MembershipRejected`` and changes
nothing.

The value::

    {"members": {ADDRESS: ROLES, ...},     # ROLES a sorted, non-empty tuple of role names
     "quorum": 2,                          # admin approvals a change needs (from genesis)
     "proposal_lifetime": 1000,            # blocks a proposal stays open
     "min_validators": 1,                  # a change may not leave fewer (1 for proof of authority)
     "proposals": {ID: {"change": CHANGE, "proposer": ADDRESS, "approvals": (ADDRESS, ...),
                        "created": HEIGHT, "expires": HEIGHT, "applied": HEIGHT or None}},
     "next_proposal": 1,
     "removed": {ADDRESS: HEIGHT, ...}}    # members removed, and when

A CHANGE is one of ``{"kind": "add", "member": ADDRESS, "roles": ROLES}``,
``{"kind": "remove", "member": ADDRESS}``, ``{"kind": "set-roles", "member": ADDRESS,
"roles": ROLES}`` (build them with ``add_member``, ``remove_member``,
``change_roles``).

Rules. Only admins propose and approve; proposing counts as the proposer's
approval. A change applies when the approval that brings it to the quorum arrives,
counting only approvals by members who are admins at that moment (an admin who is
removed or loses the role takes its pending approvals with it). A proposal expires
``proposal_lifetime`` blocks after it was made. A change is checked when proposed
and again when it would apply; it may not leave fewer admins than the quorum (that
would lock governance) nor fewer validators than ``min_validators``.

The ledger calls ``execute(state, sender, operation, height=...)`` for a membership
change transaction, whose signature it has checked: ``sender`` is its address.
"""

import attrs

from tabellion.lang.errors import TabellionError
from tabellion.runtime.access import ADMIN, ROLES, VALIDATOR
from tabellion.runtime.keys import is_address

__all__ = [
    "MembershipRejected",
    "Outcome",
    "add_member",
    "admins",
    "approve",
    "change_roles",
    "execute",
    "genesis_membership",
    "members_of",
    "proposal_status",
    "propose",
    "remove_member",
    "roles_of",
    "validators",
]

DEFAULT_PROPOSAL_LIFETIME = 1000


class MembershipRejected(TabellionError):
    """A membership proposal or approval that is refused; nothing changed."""


@attrs.frozen
class Outcome:
    """What a membership transaction did: the proposal concerned and whether its change applied."""

    proposal: int
    applied: bool


# -- reading the value -----------------------------------------------------------


def members_of(state) -> dict:
    """Address -> roles: the mapping ``access.decide`` takes."""
    return state["members"]


def roles_of(state, address) -> tuple:
    return state["members"].get(address, ())


def admins(state) -> frozenset:
    return frozenset(address for address, roles in state["members"].items() if ADMIN in roles)


def validators(state) -> tuple:
    """The validators in their fixed round-robin order: ascending address."""
    return tuple(sorted(address for address, roles in state["members"].items() if VALIDATOR in roles))


def proposal_status(state, proposal_id, *, height: int) -> str:
    """``open``, ``applied``, ``expired`` or ``unknown``."""
    proposal = state["proposals"].get(proposal_id) if type(proposal_id) is int else None
    if proposal is None:
        return "unknown"
    if proposal["applied"] is not None:
        return "applied"
    return "expired" if height >= proposal["expires"] else "open"


# -- building values -----------------------------------------------------------------


def _roles(roles) -> tuple:
    if isinstance(roles, str):
        roles = (roles,)
    roles = tuple(sorted(set(roles)))
    if not roles:
        raise MembershipRejected("a member needs at least one role (remove the member instead)")
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise MembershipRejected(f"unknown role {unknown[0]!r}: roles are {', '.join(ROLES)}")
    return roles


def _member(address) -> str:
    if not is_address(address):
        raise MembershipRejected(f"not an address: {address!r}")
    return address


def add_member(address: str, roles) -> dict:
    return {"kind": "add", "member": _member(address), "roles": _roles(roles)}


def remove_member(address: str) -> dict:
    return {"kind": "remove", "member": _member(address)}


def change_roles(address: str, roles) -> dict:
    return {"kind": "set-roles", "member": _member(address), "roles": _roles(roles)}


def genesis_membership(members, *, quorum: int, proposal_lifetime: int = DEFAULT_PROPOSAL_LIFETIME,
                       min_validators: int = 0) -> dict:
    """The membership a chain starts with; ``members`` maps addresses to roles."""
    for name, value, low in (("quorum", quorum, 1), ("proposal_lifetime", proposal_lifetime, 1),
                             ("min_validators", min_validators, 0)):
        if type(value) is not int or value < low:
            raise MembershipRejected(f"{name} must be an integer of at least {low}, not {value!r}")
    state = {
        "members": {_member(address): _roles(roles) for address, roles in members.items()},
        "quorum": quorum,
        "proposal_lifetime": proposal_lifetime,
        "min_validators": min_validators,
        "proposals": {},
        "next_proposal": 1,
        "removed": {},
    }
    _check_governable(state, "the genesis membership")
    return state


# -- proposing and approving ---------------------------------------------------------


def propose(state, proposer: str, change, *, height: int):
    """Open a proposal (approved by its proposer): returns ``(new state, proposal id)``."""
    _check_admin(state, proposer, "propose membership changes")
    change = _normalize(change)
    _apply_change(state, change, height)  # refuses, with its reason, a change that cannot apply now
    proposal_id = state["next_proposal"]
    proposal = {"change": change, "proposer": proposer, "approvals": (proposer,), "created": height,
                "expires": height + state["proposal_lifetime"], "applied": None}
    state = {**state, "proposals": {**state["proposals"], proposal_id: proposal}, "next_proposal": proposal_id + 1}
    return _apply_if_quorum(state, proposal_id, height), proposal_id


def approve(state, approver: str, proposal_id: int, *, height: int):
    """Add ``approver``'s approval; the change applies when it reaches the quorum."""
    status = proposal_status(state, proposal_id, height=height)
    if status == "unknown":
        raise MembershipRejected(f"no membership proposal {proposal_id!r}")
    proposal = state["proposals"][proposal_id]
    if status == "applied":
        raise MembershipRejected(f"proposal {proposal_id} was already applied at height {proposal['applied']}")
    if status == "expired":
        raise MembershipRejected(f"proposal {proposal_id} expired at height {proposal['expires']}")
    _check_admin(state, approver, "approve membership changes")
    if approver in proposal["approvals"]:
        raise MembershipRejected(f"{approver} already approved proposal {proposal_id}")
    approved = {**proposal, "approvals": tuple(sorted(proposal["approvals"] + (approver,)))}
    state = {**state, "proposals": {**state["proposals"], proposal_id: approved}}
    return _apply_if_quorum(state, proposal_id, height)


def execute(state, sender: str, operation, *, height: int):
    """Run a membership transaction: ``{"op": "propose", "change": CHANGE}`` or
    ``{"op": "approve", "proposal": ID}``. Returns ``(new state, Outcome)``."""
    if not isinstance(operation, dict):
        raise MembershipRejected(f"a membership operation is a map, not {operation!r}")
    op = operation.get("op")
    if op == "propose" and set(operation) == {"op", "change"}:
        state, proposal_id = propose(state, sender, operation["change"], height=height)
    elif op == "approve" and set(operation) == {"op", "proposal"}:
        proposal_id = operation["proposal"]
        state = approve(state, sender, proposal_id, height=height)
    else:
        raise MembershipRejected(f"unknown membership operation {operation!r}")
    return state, Outcome(proposal_id, state["proposals"][proposal_id]["applied"] is not None)


def _check_admin(state, address, doing):
    if ADMIN in roles_of(state, address):
        return
    if address in state["removed"]:
        raise MembershipRejected(
            f"{address} was removed from the membership at height {state['removed'][address]}: it cannot {doing}"
        )
    if address in state["members"]:
        raise MembershipRejected(f"{address} is not an admin: only admins {doing}")
    raise MembershipRejected(f"{address} is not a member: only admins {doing}")


def _normalize(change) -> dict:
    if not isinstance(change, dict):
        raise MembershipRejected(f"a membership change is a map, not {change!r}")
    kind = change.get("kind")
    if kind == "remove" and set(change) == {"kind", "member"}:
        return remove_member(change["member"])
    if kind in ("add", "set-roles") and set(change) == {"kind", "member", "roles"}:
        build = add_member if kind == "add" else change_roles
        return build(change["member"], change["roles"])
    raise MembershipRejected(f"unknown membership change {change!r}")


def _apply_if_quorum(state, proposal_id, height):
    proposal = state["proposals"][proposal_id]
    current_admins = admins(state)
    if sum(1 for address in proposal["approvals"] if address in current_admins) < state["quorum"]:
        return state
    try:
        state = _apply_change(state, proposal["change"], height)
    except MembershipRejected as error:
        raise MembershipRejected(f"proposal {proposal_id} can no longer apply: {error}") from None
    applied = {**proposal, "applied": height}
    return {**state, "proposals": {**state["proposals"], proposal_id: applied}}


def _apply_change(state, change, height) -> dict:
    """The state with ``change`` made; refuses a change that does not fit the current members."""
    member, kind = change["member"], change["kind"]
    members = dict(state["members"])
    removed = state["removed"]
    if kind == "add":
        if member in members:
            raise MembershipRejected(f"{member} is already a member")
        members[member] = change["roles"]
        removed = {address: at for address, at in removed.items() if address != member}
    elif member not in members:
        raise MembershipRejected(f"{member} is not a member")
    elif kind == "remove":
        del members[member]
        removed = {**removed, member: height}
    elif members[member] == change["roles"]:
        raise MembershipRejected(f"{member} already has exactly the roles {', '.join(change['roles'])}")
    else:
        members[member] = change["roles"]
    changed = {**state, "members": members, "removed": removed}
    _check_governable(changed, "the change")
    if ADMIN not in members.get(member, ()):
        changed["proposals"] = _without_approvals_of(changed["proposals"], member)
    return changed


def _without_approvals_of(proposals, address) -> dict:
    """Drop a former admin's approvals from the proposals still open."""
    return {
        proposal_id: {**proposal, "approvals": tuple(a for a in proposal["approvals"] if a != address)}
        if proposal["applied"] is None and address in proposal["approvals"] else proposal
        for proposal_id, proposal in proposals.items()
    }


def _check_governable(state, what):
    count = len(admins(state))
    if count < state["quorum"]:
        raise MembershipRejected(
            f"{what} would leave {count} admin(s), fewer than the quorum of {state['quorum']}: "
            "no change could ever be approved again"
        )
    count = len(validators(state))
    if count < state["min_validators"]:
        raise MembershipRejected(
            f"{what} would leave {count} validator(s), fewer than the {state['min_validators']} the chain needs"
        )
