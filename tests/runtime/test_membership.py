"""Tests of runtime/membership.py: proposals, approvals, quorum, and what is refused."""

import copy

import pytest
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tabellion.runtime.encoding import decode, encode
from tabellion.runtime.keys import dev_keypair
from tabellion.runtime.membership import (
    MembershipRejected,
    Outcome,
    add_member,
    admins,
    approve,
    change_roles,
    execute,
    genesis_membership,
    proposal_status,
    propose,
    remove_member,
    roles_of,
    validators,
)

A, B, C, D, E = (dev_keypair(name).address for name in ("ann", "ben", "cat", "dan", "eve"))


@pytest.fixture
def state():
    """Three admins, two of them validators, a reader; changes need 2 of the 3 admins."""
    return genesis_membership(
        {A: ("admin", "validator"), B: ("admin",), C: ("admin", "validator"), D: ("reader",)},
        quorum=2, proposal_lifetime=10, min_validators=1,
    )


def test_a_change_applies_when_the_second_admin_approves(state):
    state, pid = propose(state, A, add_member(E, ["writer"]), height=1)
    assert E not in state["members"] and proposal_status(state, pid, height=1) == "open"
    state = approve(state, B, pid, height=2)
    assert roles_of(state, E) == ("writer",)
    assert proposal_status(state, pid, height=2) == "applied"
    assert state["proposals"][pid]["approvals"] == tuple(sorted((A, B)))


def test_removal_and_role_changes(state):
    state, pid = propose(state, A, change_roles(D, ["reader", "auditor"]), height=1)
    state = approve(state, C, pid, height=1)
    assert roles_of(state, D) == ("auditor", "reader")
    state, pid = propose(state, A, remove_member(D), height=2)
    state = approve(state, B, pid, height=3)
    assert D not in state["members"] and state["removed"] == {D: 3}


def test_with_a_quorum_of_one_proposing_applies_at_once():
    state = genesis_membership({A: ("admin",)}, quorum=1)
    state, pid = propose(state, A, add_member(B, "reader"), height=5)
    assert roles_of(state, B) == ("reader",) and state["proposals"][pid]["applied"] == 5


def test_the_validators_keep_a_fixed_order(state):
    assert validators(state) == tuple(sorted((A, C)))
    assert admins(state) == {A, B, C}


def test_the_value_is_canonically_encodable_and_functions_are_pure(state):
    before = copy.deepcopy(state)
    after, pid = propose(state, A, add_member(E, ["writer"]), height=1)
    after = approve(after, B, pid, height=1)
    assert state == before
    assert decode(encode(after)) == after


def test_execute_runs_membership_transactions(state):
    state, outcome = execute(state, A, {"op": "propose", "change": add_member(E, ["reader"])}, height=1)
    assert outcome == Outcome(1, False)
    state, outcome = execute(state, C, {"op": "approve", "proposal": 1}, height=2)
    assert outcome == Outcome(1, True) and E in state["members"]
    with pytest.raises(MembershipRejected, match="unknown membership operation"):
        execute(state, A, {"op": "veto", "proposal": 1}, height=3)


def _removed_b(state):
    state, pid = propose(state, A, remove_member(B), height=1)
    return approve(state, C, pid, height=1)


@pytest.mark.parametrize("act, message", [
    (lambda s: propose(s, D, add_member(E, ["reader"]), height=1), f"{D} is not an admin: only admins propose"),
    (lambda s: propose(s, E, add_member(E, ["admin"]), height=1), f"{E} is not a member"),
    (lambda s: approve(propose(s, A, add_member(E, ["reader"]), height=1)[0], D, 1, height=1),
     f"{D} is not an admin: only admins approve"),
    (lambda s: approve(propose(s, A, add_member(E, ["reader"]), height=1)[0], A, 1, height=1),
     f"{A} already approved proposal 1"),
    (lambda s: approve(s, A, 7, height=1), "no membership proposal 7"),
    (lambda s: approve(s, A, "1", height=1), "no membership proposal '1'"),
    (lambda s: approve(propose(s, A, add_member(E, ["reader"]), height=1)[0], B, 1, height=11),
     "proposal 1 expired at height 11"),
    (lambda s: approve(approve(propose(s, A, add_member(E, ["reader"]), height=1)[0], B, 1, height=2), C, 1, height=3),
     "proposal 1 was already applied at height 2"),
    (lambda s: propose(_removed_b(s), B, add_member(E, ["reader"]), height=2),
     f"{B} was removed from the membership at height 1: it cannot propose"),
    (lambda s: propose(s, A, add_member(D, ["writer"]), height=1), f"{D} is already a member"),
    (lambda s: propose(s, A, remove_member(E), height=1), f"{E} is not a member"),
    (lambda s: propose(s, A, change_roles(D, ["reader"]), height=1), "already has exactly the roles reader"),
    (lambda s: propose(s, A, {"kind": "add", "member": E, "roles": ()}, height=1), "at least one role"),
    (lambda s: propose(s, A, {"kind": "add", "member": E, "roles": ("owner",)}, height=1), "unknown role 'owner'"),
    (lambda s: propose(s, A, {"kind": "add", "member": "eve", "roles": ("reader",)}, height=1), "not an address"),
    (lambda s: propose(s, A, {"kind": "promote", "member": E}, height=1), "unknown membership change"),
    (lambda s: propose(_removed_b(s), A, change_roles(C, ["validator"]), height=2),
     "would leave 1 admin\\(s\\), fewer than the quorum of 2"),
])
def test_refusals_say_why_and_change_nothing(state, act, message):
    before = copy.deepcopy(state)
    with pytest.raises(MembershipRejected, match=message):
        act(state)
    assert state == before


def test_a_change_may_not_leave_too_few_validators(state):
    state, pid = propose(state, A, change_roles(A, ["admin"]), height=1)
    state = approve(state, B, pid, height=1)
    with pytest.raises(MembershipRejected, match="would leave 0 validator"):
        propose(state, A, change_roles(C, ["admin"]), height=2)


def test_a_proposal_that_no_longer_fits_is_refused_when_it_would_apply(state):
    state, first = propose(state, A, add_member(E, ["reader"]), height=1)
    state, second = propose(state, B, add_member(E, ["writer"]), height=1)
    state = approve(state, C, first, height=2)
    before = copy.deepcopy(state)
    with pytest.raises(MembershipRejected, match=f"proposal {second} can no longer apply: {E} is already a member"):
        approve(state, C, second, height=2)
    assert state == before


def test_a_removed_admin_takes_its_pending_approvals_with_it(state):
    state, pending = propose(state, B, add_member(E, ["reader"]), height=1)  # approved by B
    state, removal = propose(state, A, remove_member(B), height=1)
    state = approve(state, C, removal, height=1)
    assert state["proposals"][pending]["approvals"] == ()
    state = approve(state, A, pending, height=2)
    assert E not in state["members"]  # A alone is not a quorum, B's approval no longer counts
    state = approve(state, C, pending, height=3)
    assert E in state["members"]


@pytest.mark.parametrize("members, options, message", [
    ({A: ("admin",)}, {"quorum": 2}, "would leave 1 admin"),
    ({A: ("admin",)}, {"quorum": 0}, "quorum must be an integer of at least 1"),
    ({A: ("admin",)}, {"quorum": 1, "min_validators": 1}, "would leave 0 validator"),
    ({A: ()}, {"quorum": 1}, "at least one role"),
])
def test_bad_genesis_memberships_are_refused(members, options, message):
    with pytest.raises(MembershipRejected, match=message):
        genesis_membership(members, **options)


# -- the property: no change gets through without its quorum ---------------------------

PEOPLE = [dev_keypair(f"member-{index}").address for index in range(6)]
# Mostly the genesis admins, so that proposals get somewhere; anyone else sometimes.
ACTORS = st.one_of(st.sampled_from(PEOPLE[:3]), st.sampled_from(PEOPLE))
ROLE_CHOICES = [("admin",), ("admin", "validator"), ("validator",), ("writer",), ("reader", "auditor")]


class Governance(RuleBasedStateMachine):
    """Random proposals and approvals by members, former members and strangers, as blocks pass."""

    def __init__(self):
        super().__init__()
        self.state = genesis_membership(
            {PEOPLE[0]: ("admin",), PEOPLE[1]: ("admin", "validator"), PEOPLE[2]: ("admin",)},
            quorum=2, proposal_lifetime=5,
        )
        self.height = 1
        self.applied = set()

    changes = st.one_of(
        st.builds(add_member, st.sampled_from(PEOPLE), st.sampled_from(ROLE_CHOICES)),
        st.builds(remove_member, st.sampled_from(PEOPLE)),
        st.builds(change_roles, st.sampled_from(PEOPLE), st.sampled_from(ROLE_CHOICES)),
    )

    def _attempt(self, operation):
        before = copy.deepcopy(self.state)
        try:
            result = operation(self.state)
        except MembershipRejected:
            assert self.state == before  # a refusal changes nothing
            return None
        assert self.state == before  # the old value is never mutated
        return result

    @rule(proposer=ACTORS, change=changes)
    def propose(self, proposer, change):
        old = self.state
        result = self._attempt(lambda s: propose(s, proposer, change, height=self.height))
        if result is not None:
            self._check_transition(old, result[0], result[1], approver=proposer)
            self.state = result[0]

    @rule(approver=ACTORS, data=st.data())
    def approve(self, approver, data):
        old = self.state
        open_ids = [pid for pid in old["proposals"] if proposal_status(old, pid, height=self.height) == "open"]
        pid = data.draw(st.sampled_from(open_ids) if open_ids and data.draw(st.booleans()) else
                        st.sampled_from(sorted(old["proposals"]) + [99]))
        result = self._attempt(lambda s: approve(s, approver, pid, height=self.height))
        if result is not None:
            self._check_transition(old, result, pid, approver)
            self.state = result

    @rule(blocks=st.integers(1, 4))
    def wait(self, blocks):
        self.height += blocks

    def _check_transition(self, old, new, pid, approver):
        assert ADMIN_OF(old, approver)
        proposal = new["proposals"][pid]
        if proposal["applied"] is None:
            assert new["members"] == old["members"]
            return
        # It applied now: its approvals by admins of the moment reach the quorum.
        assert pid not in self.applied and proposal["applied"] == self.height < proposal["expires"]
        self.applied.add(pid)
        event("a change applied")
        approvers = set(proposal["approvals"]) & admins(old) | {approver}
        assert len(approvers) >= old["quorum"]
        change = proposal["change"]
        expected = dict(old["members"])
        if change["kind"] == "remove":
            del expected[change["member"]]
        else:
            expected[change["member"]] = change["roles"]
        assert new["members"] == expected

    @invariant()
    def governable(self):
        assert len(admins(self.state)) >= self.state["quorum"]
        assert all(roles for roles in self.state["members"].values())


def ADMIN_OF(state, address):
    return "admin" in state["members"].get(address, ())


Governance.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_governance = Governance.TestCase
