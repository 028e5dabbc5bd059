"""Tests of runtime/chain/commitment.py and rebuild.py: the state rows, the state root kept up
to date from the journal, and the state rebuilt from its rows."""

from chain_world import BOX, BOX_CALLS, CHAIN_ID, Signer
from hypothesis import given, settings
from hypothesis import strategies as st
from tabellion.runtime import gas
from tabellion.runtime.access import Policy
from tabellion.runtime.chain.commitment import Commitment, rows_of
from tabellion.runtime.chain.executor import Executor
from tabellion.runtime.chain.node import run_transactions
from tabellion.runtime.chain.rebuild import state_from_rows
from tabellion.runtime.chain.transactions import Call, Deploy, Fund
from tabellion.runtime.chain.world import ChainConfig, ChainState
from tabellion.runtime.compiler.support import journaled_remove, journaled_set
from tabellion.runtime.membership import genesis_membership
from tabellion.runtime.merkle import StateTree
from tabellion.runtime.numeric import Money
from tabellion.runtime.temporal import Time
from tabellion.runtime.values import Party

CONFIG = ChainConfig(CHAIN_ID, True, Policy.preset("public"), "EUR", gas.BLOCK_GAS_LIMIT)
VALIDATOR = Signer("validator")


class Ledger:
    """A ChainState with its executor, registry and tree, blocks applied in memory."""

    def __init__(self):
        self.state = ChainState(CONFIG)
        self.state.chain_values["membership"] = genesis_membership(
            {VALIDATOR.keypair.address: ("admin", "validator")}, quorum=1)
        self.executor = Executor(self.state)
        self.commitment = Commitment(self.state)
        self.tree = StateTree.from_items(self.full_rows())
        self.height = 0

    def full_rows(self) -> dict:
        return {self.commitment.key(path): value for path, value in rows_of(self.state).items()}

    def block(self, transactions) -> bytes:
        self.height += 1
        run_transactions(self.executor, transactions, Time(0), self.height, gas.BLOCK_GAS_LIMIT)
        return self.seal()

    def seal(self) -> bytes:
        touched = self.commitment.touched(self.state.journal)
        root = self.tree.update({self.commitment.key(path): value for path, value in touched.items()})
        self.state.finish_block()
        return root


def _deployed(ledger, alice):
    ledger.block([Signer("faucet").tx(Fund(alice.party, Money(10_000, "EUR"))),
                  alice.tx(Deploy("box.sc", BOX, (), "Box", {"keeper": [alice.party]}))])
    return next(iter(ledger.state.instances))


_calls = st.lists(st.lists(st.sampled_from(sorted(BOX_CALLS)).flatmap(
    lambda entry: st.tuples(st.just(entry), st.lists(st.integers(0, 4), min_size=BOX_CALLS[entry],
                                                     max_size=BOX_CALLS[entry]).map(tuple))),
    min_size=1, max_size=8), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_calls)
def test_the_incremental_root_is_the_root_of_every_row(blocks):
    ledger = Ledger()
    alice = Signer("alice")
    box = _deployed(ledger, alice)
    assert ledger.tree.root() == StateTree.from_items(ledger.full_rows()).root()
    for calls in blocks:
        root = ledger.block([alice.tx(Call(box, entry, args, None)) for entry, args in calls])
        assert root == StateTree.from_items(ledger.full_rows()).root(), f"after {calls}"


@settings(max_examples=40, deadline=None)
@given(_calls)
def test_the_state_rebuilt_from_its_rows_is_the_same_state(blocks):
    ledger = Ledger()
    alice = Signer("alice")
    box = _deployed(ledger, alice)
    for calls in blocks:
        ledger.block([alice.tx(Call(box, entry, args, None)) for entry, args in calls])
    rows = ledger.full_rows()
    rebuilt = state_from_rows(rows.items())
    assert rebuilt.snapshot() == ledger.state.snapshot()
    assert rebuilt.membership == ledger.state.membership
    assert rebuilt.instance_code == ledger.state.instance_code
    again = Commitment(rebuilt)
    assert {again.key(path): value for path, value in rows_of(rebuilt).items()} == rows
    for name, value in rebuilt.instances[box].storage.items():
        assert type(value) is type(ledger.state.instances[box].storage[name])


# -- equal states, whatever the order of the writes

_keys = st.integers(0, 7)
_writes = st.lists(st.tuples(st.sampled_from(["balance", "entry", "field"]), _keys, st.integers(0, 3)), max_size=30)


def _apply(ledger, box, writes, cuts):
    """Apply `writes` (kind, key, value; 0 means absent), sealing a block after each index in `cuts`."""
    state = ledger.state
    storage = state.instances[box].storage
    meter = gas.GasMeter(10**12)
    for index, (kind, key, value) in enumerate(writes):
        if kind == "balance":
            state._set_balance((Party(f"tb1{key:040x}"), "EUR"), value)  # the journaled write transfers use
        elif kind == "entry":
            if value:
                journaled_set(state.journal_append, meter, storage["m"], key, value)
            elif key in storage["m"]:
                journaled_remove(state.journal_append, meter, storage["m"], key)
        else:
            journaled_set(state.journal_append, meter, storage, f"f{key}", value)
        if index in cuts:
            ledger.seal()
    return ledger.seal()


@settings(max_examples=80, deadline=None)
@given(_writes, _writes, st.dictionaries(st.tuples(st.sampled_from(["balance", "entry", "field"]), _keys),
                                         st.integers(0, 3)),
       st.sets(st.integers(0, 80)), st.sets(st.integers(0, 80)), st.randoms(use_true_random=False))
def test_equal_states_have_equal_roots_whatever_the_order_of_writes(first, second, final, cuts_a, cuts_b, rng):
    """Two different histories of writes, each ending with the same last write of every key, in any order."""
    touched = {(kind, key) for kind, key, _ in first + second} | set(final)
    last = [(kind, key, final.get((kind, key), 0)) for kind, key in sorted(touched)]
    shuffled = list(last)
    rng.shuffle(shuffled)
    roots = []
    for writes, cuts in ((first + last, cuts_a), (second + shuffled, cuts_b)):
        ledger = Ledger()
        box = _deployed(ledger, Signer("alice"))
        roots.append(_apply(ledger, box, writes, cuts))
        assert roots[-1] == StateTree.from_items(ledger.full_rows()).root()
    assert roots[0] == roots[1]


def test_a_zero_balance_has_no_row():
    ledger = Ledger()
    alice = Party("tb1" + "a" * 40)
    empty = ledger.tree.root()
    ledger.state.issue(alice, Money(5, "EUR"))
    ledger.state.transfer(alice, Party("tb1" + "b" * 40), Money(5, "EUR"))
    ledger.seal()
    assert ("balance", alice, "EUR") not in rows_of(ledger.state)
    assert ledger.tree.root() != empty  # bob and the issuance are new
