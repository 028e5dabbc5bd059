"""Tests of runtime/access.py: policies, the access decision and its matrix."""

from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tabellion.runtime.access import (
    MEMBERS,
    OPEN,
    PRESETS,
    ROLES,
    AccessDenied,
    Account,
    Action,
    Block,
    Contract,
    Events,
    Field,
    Membership,
    Policy,
    Transaction,
    access_matrix,
    decide,
    enforce,
)
from tabellion.runtime.keys import dev_keypair

ALICE = dev_keypair("alice").address
BOB = dev_keypair("bob").address
CONTRACT = dev_keypair("contract").address
READS = [action for action in Action if action.is_read]
WRITES = [action for action in Action if not action.is_read]

# -- policies --------------------------------------------------------------------------


def test_presets_are_the_four_combinations():
    assert PRESETS["private"] == Policy(MEMBERS, MEMBERS)
    assert PRESETS["governmental"] == Policy(OPEN, MEMBERS)
    assert PRESETS["surveillance"] == Policy(MEMBERS, OPEN)
    assert PRESETS["public"] == Policy(OPEN, OPEN)
    assert {Policy(read, write).name for read in (OPEN, MEMBERS) for write in (OPEN, MEMBERS)} == set(PRESETS)


def test_policy_round_trips_through_its_plain_form():
    for name, policy in PRESETS.items():
        assert Policy.preset(name) is policy
        assert Policy.from_plain(policy.to_plain()) == policy


@pytest.mark.parametrize("make, message", [
    (lambda: Policy("open", "anyone"), "write policy must be 'open' or 'members'"),
    (lambda: Policy.preset("secret"), "unknown chain policy 'secret'"),
    (lambda: Policy.from_plain({"read": "open"}), "keys 'read' and 'write'"),
])
def test_bad_policies_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


# -- the decision, case by case ---------------------------------------------------------

HIDDEN = Field(CONTRACT, "policies", ("insurer",))


@pytest.mark.parametrize("preset, roles, requester, action, resource, allowed, reason", [
    ("surveillance", None, None, Action.READ_BLOCKS, Block(3), False,
     "access denied: reading blocks on a surveillance chain needs the reader role (anonymous requests are refused)"),
    ("surveillance", None, BOB, Action.READ_BLOCKS, Block(3), False,
     "access denied: reading blocks on a surveillance chain needs the reader role (the requester is not a member)"),
    ("private", ("reader",), ALICE, Action.READ_BLOCKS, Block(3), True, "members with the reader role read"),
    ("private", ("writer",), ALICE, Action.READ_STATE, Contract(CONTRACT), True, "members with the writer role read"),
    ("public", None, None, Action.READ_EVENTS, Events(), True, "the chain's read policy is open"),
    ("governmental", None, None, Action.READ_FIELD, HIDDEN, False,
     f"access denied: field 'policies' of contract {CONTRACT} is visible to insurer only"
     " (and to the chain's auditors and admins)"),
    ("governmental", None, ALICE, Action.READ_FIELD, attrs.evolve(HIDDEN, requester_holds={"insurer"}), True,
     "the chain's read policy is open, and field 'policies' is visible to insurer, which the requester is"),
    ("private", ("auditor",), ALICE, Action.READ_FIELD, HIDDEN, True,
     "members with the auditor role read, and the chain's auditors read every field"),
    ("private", ("validator",), ALICE, Action.READ_FIELD, HIDDEN, False, "access denied: field 'policies'"),
    ("surveillance", None, BOB, Action.READ_STATE, Account(BOB), True,
     "a signed requester always reads its own account and transactions"),
    ("surveillance", None, BOB, Action.READ_RECEIPTS, Transaction(b"\1" * 32, BOB), True,
     "a signed requester always reads its own account and transactions"),
    ("surveillance", None, BOB, Action.READ_RECEIPTS, Transaction(b"\1" * 32, ALICE), False, "access denied"),
    ("surveillance", None, BOB, Action.SUBMIT_CALL, None, True, "the chain's write policy is open"),
    ("surveillance", None, None, Action.SUBMIT_CALL, None, False,
     "access denied: submitting a call transaction needs a signed transaction"),
    ("governmental", ("reader",), ALICE, Action.SUBMIT_DEPLOY, None, False,
     "access denied: submitting a deploy transaction on a governmental chain needs the writer role"),
    ("governmental", ("writer",), ALICE, Action.SUBMIT_TRANSFER, None, True, "members with the writer role write"),
    ("governmental", ("admin",), ALICE, Action.SUBMIT_CALL, None, False,
     "access denied: submitting a call transaction on a governmental chain needs the writer role"),
    ("public", ("writer",), ALICE, Action.SUBMIT_MEMBERSHIP_CHANGE, None, False,
     "access denied: submitting a membership change needs the admin role"),
    ("public", ("admin",), ALICE, Action.SUBMIT_MEMBERSHIP_CHANGE, None, True,
     "admins propose and approve membership changes"),
])
def test_decisions(preset, roles, requester, action, resource, allowed, reason):
    members = {ALICE: roles} if roles else {}
    decision = decide(PRESETS[preset], members, requester, action, resource)
    assert decision.allowed is allowed
    assert decision.reason.startswith(reason)


def test_enforce_raises_access_denied_with_the_reason():
    assert enforce(PRESETS["public"], {}, None, Action.READ_BLOCKS, Block()).allowed
    with pytest.raises(AccessDenied, match="reading the membership on a private chain") as caught:
        enforce(PRESETS["private"], {}, None, Action.READ_MEMBERSHIP, Membership())
    assert not caught.value.decision.allowed


@pytest.mark.parametrize("action, resource, message", [
    (Action.READ_BLOCKS, Account(ALICE), "needs a resource of type Block"),
    (Action.READ_STATE, Block(1), "Account or Contract"),
    (Action.SUBMIT_CALL, Contract(CONTRACT), "takes no resource"),
    (Action.READ_FIELD, Field(CONTRACT, "x"), "resolve visible_to"),
    ("read-blocks", Block(1), "action must be an Action"),
])
def test_arguments_that_do_not_fit_are_a_callers_bug(action, resource, message):
    with pytest.raises(TypeError, match=message):
        decide(PRESETS["public"], {}, ALICE, action, resource)


def test_an_anonymous_requester_holds_no_contract_role_whatever_the_resource_says():
    field = attrs.evolve(HIDDEN, requester_holds={"insurer"})
    assert not decide(PRESETS["public"], {}, None, Action.READ_FIELD, field).allowed


def test_unknown_roles_grant_nothing():
    assert not decide(PRESETS["private"], {ALICE: ("superuser",)}, ALICE, Action.READ_BLOCKS, Block()).allowed


def test_the_documented_matrix_is_the_one_decide_computes():
    document = (Path(__file__).parents[2] / "docs" / "permissions.md").read_text(encoding="utf-8")
    assert access_matrix() in document


# -- properties ------------------------------------------------------------------------

addresses = st.sampled_from([ALICE, BOB, CONTRACT, dev_keypair("carol").address])
requesters = st.none() | addresses
role_sets = st.frozensets(st.sampled_from(ROLES + ("owner",)), max_size=4)
memberships = st.dictionaries(addresses, role_sets.map(tuple), max_size=4)
policies = st.sampled_from(list(PRESETS.values()))
names = st.sampled_from(["insurer", "oracle", "holder", "auditor", "admin"])
fields = st.builds(
    Field, addresses, st.sampled_from(["policies", "count"]),
    st.none() | st.lists(names, max_size=3).map(tuple), st.frozensets(names, max_size=3),
)
transactions = st.builds(Transaction, st.none() | st.binary(min_size=32, max_size=32), st.none() | addresses)
RESOURCES = {
    Action.READ_STATE: st.builds(Account, addresses) | st.builds(Contract, addresses),
    Action.READ_FIELD: fields,
    Action.READ_BLOCKS: st.builds(Block, st.none() | st.integers(0, 10**9)),
    Action.READ_TRANSACTIONS: transactions,
    Action.READ_RECEIPTS: transactions,
    Action.READ_EVENTS: st.builds(Events, st.none() | addresses),
    Action.READ_MEMBERSHIP: st.just(Membership()),
}


@st.composite
def requests(draw, actions=st.sampled_from(list(Action))):
    action = draw(actions)
    resource = draw(RESOURCES[action]) if action.is_read else None
    return draw(policies), draw(memberships), draw(requesters), action, resource


def _names_requester(resource, requester):
    return requester is not None and (
        (type(resource) is Account and resource.address == requester)
        or (type(resource) is Transaction and resource.sender == requester)
    )


@given(st.sampled_from(READS), memberships, st.data())
def test_anonymous_readers_of_a_members_chain_learn_nothing(action, members, data):
    """Denied, with a reason that names the action only: the same for every resource, existing or not."""
    for policy in (PRESETS["private"], PRESETS["surveillance"]):
        first, second = data.draw(RESOURCES[action]), data.draw(RESOURCES[action])
        assert decide(policy, members, None, action, first) == decide(policy, members, None, action, second)
        assert not decide(policy, members, None, action, first).allowed


@given(st.sampled_from(READS), memberships, addresses, st.data())
def test_a_non_member_learns_nothing_beyond_its_own_account(action, members, requester, data):
    members = {address: roles for address, roles in members.items() if address != requester}
    policy = data.draw(st.sampled_from([PRESETS["private"], PRESETS["surveillance"]]))
    first, second = data.draw(RESOURCES[action]), data.draw(RESOURCES[action])
    if not _names_requester(first, requester) and not _names_requester(second, requester):
        assert decide(policy, members, requester, action, first) == decide(policy, members, requester, action, second)


@given(requests(), st.data())
def test_the_decision_does_not_depend_on_which_thing_is_named(request, data):
    """Whatever a name resolves to (or whether it exists), only its relation to the requester matters."""
    policy, members, requester, action, resource = request
    if action.is_read and type(resource) is not Field:
        other = data.draw(RESOURCES[action])
        same_relation = _names_requester(other, requester) == _names_requester(resource, requester)
        if type(other) is type(resource) and same_relation:
            first = decide(policy, members, requester, action, resource)
            assert first.allowed == decide(policy, members, requester, action, other).allowed


@given(requests(), role_sets)
def test_more_roles_never_take_access_away(request, extra):
    policy, members, requester, action, resource = request
    if requester is None:
        return
    richer = {**members, requester: tuple(set(members.get(requester, ())) | extra)}
    if decide(policy, members, requester, action, resource).allowed:
        assert decide(policy, richer, requester, action, resource).allowed


@given(requests(st.just(Action.READ_FIELD)))
def test_a_hidden_field_is_shown_only_to_its_parties_auditors_and_admins(request):
    policy, members, requester, action, field = request
    decision = decide(policy, members, requester, action, field)
    if decision.allowed and field.visible_to is not None:
        roles = set(members.get(requester, ())) if requester else set()
        in_r = requester is not None and set(field.visible_to) & field.requester_holds
        assert in_r or roles & {"auditor", "admin"}
        assert policy.read == OPEN or roles & set(ROLES)


@given(requests(st.sampled_from(WRITES)))
def test_writes_need_a_signature_and_membership_changes_an_admin(request):
    policy, members, requester, action, _ = request
    decision = decide(policy, members, requester, action, None)
    roles = set(members.get(requester, ())) if requester else set()
    if requester is None:
        assert not decision.allowed
    elif action is Action.SUBMIT_MEMBERSHIP_CHANGE:
        assert decision.allowed == ("admin" in roles)
    else:
        assert decision.allowed == (policy.write == OPEN or "writer" in roles)
    assert decision.allowed or decision.reason.startswith("access denied: ")


def test_decide_also_takes_the_whole_membership_value():
    from tabellion.runtime.membership import genesis_membership

    membership = genesis_membership({ALICE: ("admin",), BOB: ("reader",)}, quorum=1)
    assert decide(PRESETS["private"], membership, BOB, Action.READ_BLOCKS, Block()).allowed
    assert not decide(PRESETS["private"], membership, CONTRACT, Action.READ_BLOCKS, Block()).allowed
    assert decide(PRESETS["private"], membership, ALICE, Action.SUBMIT_MEMBERSHIP_CHANGE, None).allowed
