"""Tests of runtime/chain/verify.py: replay from genesis, and the first block that does not match.

tests/faults/test_corruption.py flips bytes everywhere; these are the readable cases."""

import pytest
from chain_world import build
from tabellion.runtime.chain.errors import VerificationFailed
from tabellion.runtime.chain.storage import Storage
from tabellion.runtime.chain.verify import verify_chain
from tabellion.runtime.encoding import encode


@pytest.fixture
def chain_dir(tmp_path):
    chain, _, _ = build(tmp_path / "chain", blocks=8, seed=5)
    root = chain.head.state_root
    chain.close()
    return tmp_path / "chain", root


def _sql(directory, statement, *parameters):
    storage = Storage.open(directory)
    storage.connection.execute(statement, parameters)
    storage.close()


def _failure(directory):
    with pytest.raises(VerificationFailed) as caught:
        verify_chain(directory)
    return caught.value


def test_an_untouched_chain_verifies(chain_dir):
    directory, root = chain_dir
    seen = []
    report = verify_chain(directory, lambda height, head: seen.append((height, head)))
    assert report.head == 8 and report.state_root == root
    assert seen == [(h, 8) for h in range(9)]
    assert report.transactions == sum(len(Storage.open(directory).transactions(h)) for h in range(1, 9))


def test_a_changed_receipt_is_found(chain_dir):
    directory, _ = chain_dir
    _sql(directory, "UPDATE txs SET receipt = receipt || x'00' WHERE height = 4 AND position = 0")
    failure = _failure(directory)
    assert failure.height == 4 and "receipts" in failure.reason


def test_a_missing_block_is_found(chain_dir):
    directory, _ = chain_dir
    _sql(directory, "DELETE FROM blocks WHERE height = 6")
    failure = _failure(directory)
    assert failure.height == 6 and failure.reason == "the block is missing"


def test_swapped_transactions_are_found(chain_dir):
    directory, _ = chain_dir
    storage = Storage.open(directory)
    height = next(h for h in range(2, 9) if len(storage.transactions(h)) >= 2)
    storage.close()
    _sql(directory, "UPDATE txs SET position = 99 WHERE height = ? AND position = 0", height)
    _sql(directory, "UPDATE txs SET position = 0 WHERE height = ? AND position = 1", height)
    _sql(directory, "UPDATE txs SET position = 1 WHERE height = ? AND position = 99", height)
    assert _failure(directory).height == height


def test_a_state_row_names_the_block_that_wrote_it(chain_dir):
    directory, _ = chain_dir
    storage = Storage.open(directory)
    key = next(k for k, _, h in storage.state_rows_with_height() if h == 1)
    storage.close()
    _sql(directory, "UPDATE state SET value = ? WHERE key = ?", encode(123456), key)
    failure = _failure(directory)
    assert failure.height == 1 and "state row differs" in failure.reason


def test_an_extra_or_missing_state_row_is_found(chain_dir):
    directory, _ = chain_dir
    _sql(directory, "INSERT INTO state VALUES (?, ?, 2)", encode(["balance", "x", "EUR"]), encode(5))
    failure = _failure(directory)
    assert failure.height == 2 and "not in the replayed state" in failure.reason
    _sql(directory, "DELETE FROM state WHERE key = ?", encode(["balance", "x", "EUR"]))
    storage = Storage.open(directory)
    key, height = max(((k, h) for k, _, h in storage.state_rows_with_height()), key=lambda kh: kh[1])
    storage.close()
    assert height > 1
    _sql(directory, "DELETE FROM state WHERE key = ?", key)
    failure = _failure(directory)
    assert failure.height == height and "missing from the store" in failure.reason


def test_a_header_signed_by_someone_else_is_found(chain_dir):
    directory, _ = chain_dir
    from tabellion.runtime.chain.blocks import decode_header
    from tabellion.runtime.keys import dev_keypair

    storage = Storage.open(directory)
    _, header_bytes, _ = storage.block(7)
    storage.close()
    header = decode_header(header_bytes)
    signed = header.signed().signing_bytes()  # what proof of authority signs: the header in its SignedHeader
    _sql(directory, "UPDATE blocks SET proof = ? WHERE height = 7", dev_keypair("mallory").sign(signed))
    failure = _failure(directory)
    assert failure.height == 7 and "consensus proof" in failure.reason
    assert header.proof_ok(dev_keypair("validator").sign(signed))
    assert not header.proof_ok(dev_keypair("validator").sign(header_bytes))  # raw header bytes are not a proof
