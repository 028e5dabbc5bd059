"""Tests of runtime/keys.py: addresses, signatures, development keys, the keystore."""

import hashlib
import json
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tabellion.runtime.keys import (
    KeyPair,
    Keystore,
    KeystoreError,
    address_of,
    default_keys_directory,
    dev_keypair,
    is_address,
    verify,
)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private TABELLION_HOME, so no test touches the real home directory."""
    monkeypatch.setenv("TABELLION_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    return tmp_path / "home"


@pytest.fixture
def store(home):
    return Keystore()


def flip(data: bytes, bit: int) -> bytes:
    flipped = bytearray(data)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


# -- addresses and signatures --


def test_address_is_tb1_and_forty_hex_digits_of_a_personalized_blake2b():
    public_key = dev_keypair("alice").public_key
    digest = hashlib.blake2b(public_key, digest_size=20, person=b"tabellion-addr").hexdigest()
    assert address_of(public_key) == "tb1" + digest
    assert is_address(address_of(public_key))
    assert dev_keypair("alice").address == address_of(public_key)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("tb1" + "0" * 40, True),
        ("tb1" + "a" * 40, True),
        ("tb1" + "A" * 40, False),
        ("tb1" + "0" * 39, False),
        ("tb1" + "0" * 41, False),
        ("tb2" + "0" * 40, False),
        ("tb1" + "0" * 40 + "\n", False),
        (b"tb1" + b"0" * 40, False),
        (None, False),
    ],
)
def test_is_address(text, expected):
    assert is_address(text) is expected


@pytest.mark.parametrize("public_key", [b"", bytes(31), bytes(33), "x" * 32])
def test_address_of_rejects_anything_but_32_bytes(public_key):
    with pytest.raises(ValueError, match="32 bytes"):
        address_of(public_key)


def test_sign_and_verify_round_trip():
    keypair = KeyPair.generate()
    signature = keypair.sign(b"pay 10 EUR to bob")
    assert len(signature) == 64
    assert verify(keypair.public_key, b"pay 10 EUR to bob", signature)
    assert keypair.verify(b"pay 10 EUR to bob", signature)
    assert verify(keypair.public_key, bytearray(b"pay 10 EUR to bob"), signature)
    assert verify(keypair.public_key, memoryview(b"pay 10 EUR to bob"), signature)
    assert keypair.verify_key.encode() == keypair.public_key


@settings(max_examples=60)
@given(message=st.binary(max_size=200), data=st.data())
def test_a_flipped_bit_anywhere_fails_verification(message, data):
    keypair = dev_keypair("alice")
    signature = keypair.sign(message)
    assert verify(keypair.public_key, message, signature)
    bit = data.draw(st.integers(0, 64 * 8 - 1), label="signature bit")
    assert not verify(keypair.public_key, message, flip(signature, bit))
    bit = data.draw(st.integers(0, 32 * 8 - 1), label="public key bit")
    assert not verify(flip(keypair.public_key, bit), message, signature)
    if message:
        bit = data.draw(st.integers(0, len(message) * 8 - 1), label="message bit")
        assert not verify(keypair.public_key, flip(message, bit), signature)


@pytest.mark.parametrize(
    "public_key, message, signature",
    [
        (bytes(31), b"m", bytes(64)),
        (bytes(32), b"m", bytes(63)),
        (bytes(32), b"m", bytes(65)),
        ("k" * 32, b"m", bytes(64)),
        (bytes(32), "m", bytes(64)),
        (bytes(32), b"m", None),
        (bytes(32), b"m", bytes(64)),
    ],
)
def test_verify_is_false_not_an_exception_for_malformed_input(public_key, message, signature):
    assert verify(public_key, message, signature) is False


def test_another_key_signature_does_not_verify():
    alice, bob = dev_keypair("alice"), dev_keypair("bob")
    assert not verify(bob.public_key, b"m", alice.sign(b"m"))


def test_dev_keypairs_are_derived_from_the_name():
    seed = hashlib.blake2b(b"tabellion-dev:alice", digest_size=32).digest()
    assert dev_keypair("alice") == KeyPair.from_seed(seed)
    assert dev_keypair("alice").seed == seed
    assert dev_keypair("alice").public_key != dev_keypair("bob").public_key
    assert dev_keypair("zoë").address != dev_keypair("zoe").address


def test_repr_never_shows_the_secret():
    keypair = dev_keypair("alice")
    assert keypair.seed.hex() not in repr(keypair)
    assert keypair.public_key.hex() in repr(keypair) or "public_key" in repr(keypair)


@pytest.mark.parametrize("seed", [b"", bytes(31), bytes(33), "s" * 32])
def test_from_seed_requires_32_bytes(seed):
    with pytest.raises(ValueError, match="32 bytes"):
        KeyPair.from_seed(seed)


# -- the keystore's directory --


def test_default_directory_is_under_tabellion_home(home):
    assert default_keys_directory() == home / "keys"
    assert Keystore().directory == home / "keys"


def test_default_directory_falls_back_to_xdg_data_home(tmp_path):
    environ = {"XDG_DATA_HOME": str(tmp_path / "data")}
    assert default_keys_directory(environ) == tmp_path / "data" / "tabellion" / "keys"


def test_default_directory_ignores_a_relative_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "share" / "tabellion" / "keys"
    assert default_keys_directory({"XDG_DATA_HOME": "relative/data"}) == expected
    assert default_keys_directory({}) == expected
    assert default_keys_directory({"TABELLION_HOME": ""}) == expected


# -- keys on disk --


def test_new_list_show_load_round_trip(store):
    assert store.list() == []
    alice = store.new("alice")
    store.new("bob")
    assert store.list() == ["alice", "bob"]
    assert store.load("alice") == alice
    assert store.load("alice").seed == alice.seed
    info = store.show("alice")
    assert (info.name, info.address, info.public_key, info.encrypted) == (
        "alice",
        alice.address,
        alice.public_key,
        False,
    )


def test_add_stores_an_existing_key_pair(store):
    store.add("meteo", dev_keypair("meteo"))
    assert store.load("meteo") == dev_keypair("meteo")


def test_key_files_are_private(store):
    old_umask = os.umask(0)  # mkdir and open must not rely on the umask
    try:
        store.new("alice")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(store.directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(store.directory / "alice.key").st_mode) == 0o600


def test_writing_leaves_no_temporary_file(store):
    store.new("alice")
    assert sorted(os.listdir(store.directory)) == ["alice.key"]


def test_list_ignores_files_that_are_not_keys(store):
    store.new("alice")
    for name in ("notes.txt", ".alice.key.123.tmp", ".hidden.key"):
        (store.directory / name).write_text("x")
    assert store.list() == ["alice"]


def test_passphrase_round_trip(store):
    alice = store.new("alice", passphrase="correct horse")
    text = (store.directory / "alice.key").read_text()
    assert alice.seed.hex() not in text
    assert json.loads(text)["encryption"]["kdf"] == "argon2id"
    assert store.show("alice").encrypted
    assert store.show("alice").address == alice.address
    assert store.load("alice", passphrase="correct horse") == alice
    assert store.load("alice", passphrase=b"correct horse") == alice


def test_wrong_or_missing_passphrase(store):
    store.new("alice", passphrase="correct horse")
    with pytest.raises(KeystoreError, match="wrong passphrase for key 'alice'"):
        store.load("alice", passphrase="battery staple")
    with pytest.raises(KeystoreError, match="encrypted: a passphrase is required"):
        store.load("alice")


def test_a_passphrase_for_an_unencrypted_key_is_ignored(store):
    alice = store.new("alice")
    assert store.load("alice", passphrase="anything") == alice


@pytest.mark.parametrize("name", ["", "a/b", "../alice", "a\\b", ".hidden", "-flag", "a b", "x" * 65, None])
def test_names_that_could_escape_the_directory_are_refused(store, name):
    with pytest.raises(KeystoreError, match="invalid key name"):
        store.new(name)
    with pytest.raises(KeystoreError, match="invalid key name"):
        store.load(name)


def test_an_existing_name_is_never_overwritten(store):
    alice = store.new("alice")
    with pytest.raises(KeystoreError, match="a key named 'alice' already exists"):
        store.new("alice")
    assert store.load("alice") == alice


def test_unknown_key(store):
    with pytest.raises(KeystoreError, match="no key named 'carol'"):
        store.load("carol")
    with pytest.raises(KeystoreError, match="no key named 'carol'"):
        store.show("carol")


def rewrite(store, name, change):
    path = store.directory / f"{name}.key"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def tamper_ciphertext(document):
    document["seed"] = document["seed"][:-2] + ("00" if document["seed"][-2:] != "00" else "01")


CORRUPTIONS = [
    ("not JSON", lambda path: path.write_text("{not json")),
    ("deep JSON", lambda path: path.write_text("[" * 100_000)),
    ("binary", lambda path: path.write_bytes(b"\xff\xfe\x00garbage")),
    ("a list", lambda path: path.write_text("[]")),
    ("format", lambda store: rewrite(store, "alice", lambda d: d.update(format="other"))),
    ("no seed", lambda store: rewrite(store, "alice", lambda d: d.pop("seed"))),
    ("bad hex", lambda store: rewrite(store, "alice", lambda d: d.update(seed="zz"))),
    ("short seed", lambda store: rewrite(store, "alice", lambda d: d.update(seed="00" * 31))),
    ("public key", lambda store: rewrite(store, "alice", lambda d: d.update(public_key="00" * 32))),
    ("short key", lambda store: rewrite(store, "alice", lambda d: d.update(public_key="00"))),
    ("encryption", lambda store: rewrite(store, "alice", lambda d: d.update(encryption={"kdf": "md5"}))),
]


@pytest.mark.parametrize("label, corrupt", CORRUPTIONS, ids=[label for label, _ in CORRUPTIONS])
def test_corrupt_files_raise_one_line_keystore_errors(store, label, corrupt):
    store.new("alice")
    path = store.directory / "alice.key"
    corrupt(path if corrupt.__code__.co_varnames[:1] == ("path",) else store)
    with pytest.raises(KeystoreError) as caught:
        store.load("alice")
    message = str(caught.value)
    assert "\n" not in message
    assert "corrupt" in message or "encrypted" in message
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)


ENCRYPTED_CORRUPTIONS = [
    ("memlimit too high", lambda d: d["encryption"].update(memlimit=2**40), "memlimit"),
    ("opslimit not int", lambda d: d["encryption"].update(opslimit="2"), "opslimit"),
    ("short salt", lambda d: d["encryption"].update(salt="00"), "salt"),
    ("short ciphertext", lambda d: d.update(seed="00" * 10), "ciphertext"),
    ("cipher", lambda d: d["encryption"].update(cipher="rot13"), "cipher"),
    ("tampered ciphertext", tamper_ciphertext, "wrong passphrase"),
]


@pytest.mark.parametrize(
    "label, change, expected", ENCRYPTED_CORRUPTIONS, ids=[label for label, *_ in ENCRYPTED_CORRUPTIONS]
)
def test_corrupt_encrypted_files_raise_keystore_errors(store, label, change, expected):
    store.new("alice", passphrase="pw")
    rewrite(store, "alice", change)
    with pytest.raises(KeystoreError, match=expected) as caught:
        store.load("alice", passphrase="pw")
    assert "\n" not in str(caught.value)


def test_a_directory_that_cannot_be_created_is_a_keystore_error(tmp_path):
    (tmp_path / "keys").write_text("a file where the directory should be")
    with pytest.raises(KeystoreError, match="cannot create keystore"):
        Keystore(tmp_path / "keys").new("alice")
    with pytest.raises(KeystoreError, match="cannot read keystore"):
        Keystore(tmp_path / "keys").list()
