"""Identities: Ed25519 key pairs, addresses, signatures, development keys and the keystore.

This module owns everything a party needs to sign: generating and deriving key
pairs (through PyNaCl, i.e. libsodium), turning a public key into an address,
signing and verifying, and keeping keys on disk.

Addresses are ``"tb1"`` followed by the 40 hex digits of
``blake2b(public_key, digest_size=20, person=b"tabellion-addr")``: short enough to
read, 160 bits so collisions are out of reach, and personalized so the digest cannot
be confused with any other BLAKE2b use in the project.

Development keys (``dev_keypair("alice")``) are derived from the party's name, so
every scenario and REPL session sees the same addresses. Anyone can derive them:
they are refused on chains that are not in dev mode.

The keystore keeps one JSON file per key, ``<name>.key``, in a directory created
with mode 0700; files are written with mode 0600, atomically (a temporary file, then
a hard link that fails if the name is taken). A file holds::

    {"format": "tabellion-key/1", "public_key": HEX, "encryption": null, "seed": HEX}

or, with a passphrase, ``"encryption": {"kdf": "argon2id", "salt": HEX,
"opslimit": N, "memlimit": N, "cipher": "xsalsa20-poly1305"}`` and ``"seed"`` the
hex of SecretBox's nonce and ciphertext of the 32-byte seed, under a key derived
from the passphrase by Argon2id.
"""

import functools
import hashlib
import json
import os
import re
import secrets
from pathlib import Path

import attrs
import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.bindings import crypto_sign_open
from nacl.signing import SigningKey, VerifyKey

from tabellion.lang.errors import TabellionError

__all__ = [
    "ADDRESS_PREFIX",
    "KeyInfo",
    "KeyPair",
    "Keystore",
    "KeystoreError",
    "address_of",
    "default_keys_directory",
    "dev_keypair",
    "is_address",
    "verify",
]

ADDRESS_PREFIX = "tb1"
PUBLIC_KEY_SIZE = 32
SIGNATURE_SIZE = 64
SEED_SIZE = 32

_ADDRESS_PERSON = b"tabellion-addr"
_DEV_SEED_PREFIX = b"tabellion-dev:"
_ADDRESS_PATTERN = re.compile(r"tb1[0-9a-f]{40}\Z")

_FILE_FORMAT = "tabellion-key/1"
_KEY_SUFFIX = ".key"
_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
_KDF_OPSLIMIT = nacl.pwhash.argon2id.OPSLIMIT_INTERACTIVE
_KDF_MEMLIMIT = nacl.pwhash.argon2id.MEMLIMIT_INTERACTIVE
# Limits read back from a file are checked against these bounds, so that a
# tampered file cannot make loading allocate gigabytes or run for minutes.
_KDF_OPSLIMIT_RANGE = (nacl.pwhash.argon2id.OPSLIMIT_MIN, nacl.pwhash.argon2id.OPSLIMIT_SENSITIVE)
_KDF_MEMLIMIT_RANGE = (nacl.pwhash.argon2id.MEMLIMIT_MIN, nacl.pwhash.argon2id.MEMLIMIT_SENSITIVE)


class KeystoreError(TabellionError):
    """A key that cannot be created, found, read or decrypted; the message is one line."""


def address_of(public_key: bytes) -> str:
    """The address of an account: ``tb1`` and 20 bytes of a personalized BLAKE2b, in hex."""
    if not isinstance(public_key, bytes) or len(public_key) != PUBLIC_KEY_SIZE:
        raise ValueError(f"public_key must be {PUBLIC_KEY_SIZE} bytes")
    digest = hashlib.blake2b(public_key, digest_size=20, person=_ADDRESS_PERSON)
    return ADDRESS_PREFIX + digest.hexdigest()


def is_address(text: object) -> bool:
    """Whether ``text`` has the form of an address (it says nothing of whether it is in use)."""
    return isinstance(text, str) and _ADDRESS_PATTERN.match(text) is not None


def verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Whether ``signature`` is a valid Ed25519 signature of ``message`` by ``public_key``.

    Calls libsodium's ``crypto_sign_open`` directly: building a ``VerifyKey`` per
    call costs about as much and checks nothing more than the lengths tested here.
    Never raises for bad input; anything malformed is simply not a valid signature.
    """
    if isinstance(message, (bytearray, memoryview)):
        message = bytes(message)
    if (
        type(public_key) is not bytes
        or type(signature) is not bytes
        or len(public_key) != PUBLIC_KEY_SIZE
        or len(signature) != SIGNATURE_SIZE
        or not isinstance(message, bytes)
    ):
        return False
    try:
        crypto_sign_open(signature + message, public_key)
    except nacl.exceptions.CryptoError:
        return False
    return True


@attrs.frozen
class KeyPair:
    """An Ed25519 signing key with its public key; equal when the public keys are."""

    signing_key: SigningKey = attrs.field(repr=False, eq=False)
    public_key: bytes

    @classmethod
    def generate(cls) -> "KeyPair":
        """A fresh key pair from the operating system's random source."""
        return cls.from_seed(secrets.token_bytes(SEED_SIZE))

    @classmethod
    def from_seed(cls, seed: bytes) -> "KeyPair":
        """The key pair determined by a 32-byte seed."""
        if not isinstance(seed, bytes) or len(seed) != SEED_SIZE:
            raise ValueError(f"seed must be {SEED_SIZE} bytes")
        signing_key = SigningKey(seed)
        return cls(signing_key, bytes(signing_key.verify_key))

    @property
    def seed(self) -> bytes:
        """The 32-byte secret seed; whoever holds it can sign as this party."""
        return bytes(self.signing_key)

    @property
    def verify_key(self) -> VerifyKey:
        return self.signing_key.verify_key

    @property
    def address(self) -> str:
        return address_of(self.public_key)

    def sign(self, message: bytes) -> bytes:
        """The 64-byte detached signature of ``message``."""
        return self.signing_key.sign(message).signature

    def verify(self, message: bytes, signature: bytes) -> bool:
        return verify(self.public_key, message, signature)


@functools.lru_cache(maxsize=1024)
def dev_keypair(name: str) -> KeyPair:
    """The development key pair of a party name: seed = blake2b-256("tabellion-dev:" + name)."""
    if not isinstance(name, str) or not name:
        raise ValueError("name must be a non-empty string")
    seed = hashlib.blake2b(_DEV_SEED_PREFIX + name.encode("utf-8"), digest_size=SEED_SIZE).digest()
    return KeyPair.from_seed(seed)


def default_keys_directory(environ=None) -> Path:
    """Where keys live: ``$TABELLION_HOME/keys``, else the XDG data directory."""
    environ = os.environ if environ is None else environ
    home = environ.get("TABELLION_HOME")
    if home:
        return Path(home).expanduser() / "keys"
    data = environ.get("XDG_DATA_HOME")
    # The XDG spec says relative values are invalid and must be ignored.
    if data and os.path.isabs(data):
        return Path(data) / "tabellion" / "keys"
    return Path.home() / ".local" / "share" / "tabellion" / "keys"


@attrs.frozen
class KeyInfo:
    """What can be shown about a stored key without its passphrase."""

    name: str
    address: str
    public_key: bytes
    encrypted: bool
    path: Path


class Keystore:
    """A directory of named key files, optionally encrypted with a passphrase.

    Passphrases are str (UTF-8) or bytes; None or an empty one stores the key unencrypted.
    """

    def __init__(self, directory=None):
        self.directory = Path(directory) if directory is not None else default_keys_directory()

    def __repr__(self):
        return f"Keystore({str(self.directory)!r})"

    def new(self, name: str, passphrase=None) -> KeyPair:
        """Generate, store and return a new key pair under ``name``."""
        keypair = KeyPair.generate()
        self.add(name, keypair, passphrase)
        return keypair

    def add(self, name: str, keypair: KeyPair, passphrase=None) -> None:
        """Store an existing key pair under ``name``, which must not be taken."""
        path = self._path(name)
        if path.exists():
            raise KeystoreError(f"a key named {name!r} already exists in {self.directory}")
        document = _key_document(keypair, _passphrase_bytes(passphrase))
        self._ensure_directory()
        _write_new_file(path, json.dumps(document, indent=2).encode("ascii") + b"\n", name)

    def list(self) -> list:
        """The names of the stored keys, sorted."""
        try:
            entries = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        except OSError as error:
            raise KeystoreError(f"cannot read keystore {self.directory}: {error.strerror}") from None
        names = (entry[: -len(_KEY_SUFFIX)] for entry in entries if entry.endswith(_KEY_SUFFIX))
        return sorted(name for name in names if _NAME_PATTERN.match(name))

    def show(self, name: str) -> KeyInfo:
        """The public facts of a stored key; needs no passphrase."""
        path = self._path(name)
        document = self._read(name, path)
        public_key = _public_key_of(document, path)
        encrypted = document["encryption"] is not None
        return KeyInfo(name, address_of(public_key), public_key, encrypted, path)

    def load(self, name: str, passphrase=None) -> KeyPair:
        """The stored key pair, decrypted with ``passphrase`` when the file is encrypted.

        A passphrase given for a key stored unencrypted is ignored.
        """
        path = self._path(name)
        document = self._read(name, path)
        public_key = _public_key_of(document, path)
        seed = _seed_of(document, _passphrase_bytes(passphrase), name, path)
        keypair = KeyPair.from_seed(seed)
        if keypair.public_key != public_key:
            raise _corrupt(path, "the secret key does not match the public key")
        return keypair

    def _path(self, name) -> Path:
        if not isinstance(name, str) or not _NAME_PATTERN.match(name):
            raise KeystoreError(
                f"invalid key name {name!r}: use up to 64 letters, digits, '.', '_' or '-',"
                " starting with a letter or digit (no path separators)"
            )
        return self.directory / (name + _KEY_SUFFIX)

    def _ensure_directory(self) -> None:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # mkdir's mode is filtered by the umask; the keys directory must be private.
            os.chmod(self.directory, 0o700)
        except OSError as error:
            raise KeystoreError(f"cannot create keystore {self.directory}: {error.strerror}") from None

    def _read(self, name, path) -> dict:
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            raise KeystoreError(f"no key named {name!r} in {self.directory}") from None
        except OSError as error:
            raise KeystoreError(f"cannot read key file {path}: {error.strerror}") from None
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            raise _corrupt(path, "not valid JSON") from None
        _check_document(document, path)
        return document


def _passphrase_bytes(passphrase):
    if passphrase is None or passphrase in ("", b""):
        return None
    if isinstance(passphrase, str):
        return passphrase.encode("utf-8")
    if isinstance(passphrase, bytes):
        return passphrase
    raise TypeError("passphrase must be a str, bytes or None")


def _key_document(keypair: KeyPair, passphrase) -> dict:
    document = {"format": _FILE_FORMAT, "public_key": keypair.public_key.hex(), "encryption": None}
    if passphrase is None:
        document["seed"] = keypair.seed.hex()
        return document
    salt = nacl.utils.random(nacl.pwhash.argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_derive_key(passphrase, salt, _KDF_OPSLIMIT, _KDF_MEMLIMIT))
    document["encryption"] = {
        "kdf": "argon2id",
        "salt": salt.hex(),
        "opslimit": _KDF_OPSLIMIT,
        "memlimit": _KDF_MEMLIMIT,
        "cipher": "xsalsa20-poly1305",
    }
    document["seed"] = bytes(box.encrypt(keypair.seed)).hex()
    return document


def _derive_key(passphrase: bytes, salt: bytes, opslimit: int, memlimit: int) -> bytes:
    size = nacl.secret.SecretBox.KEY_SIZE
    return nacl.pwhash.argon2id.kdf(size, passphrase, salt, opslimit=opslimit, memlimit=memlimit)


def _check_document(document, path) -> None:
    """Check the shape of a key file, so that later steps can index it freely."""
    if not isinstance(document, dict) or document.get("format") != _FILE_FORMAT:
        raise _corrupt(path, f"not a {_FILE_FORMAT} file")
    if not isinstance(document.get("public_key"), str) or not isinstance(document.get("seed"), str):
        raise _corrupt(path, "missing public_key or seed")
    encryption = document.get("encryption", False)
    if encryption is None:
        return
    if not isinstance(encryption, dict) or encryption.get("kdf") != "argon2id":
        raise _corrupt(path, "unknown encryption")
    if encryption.get("cipher") != "xsalsa20-poly1305" or not isinstance(encryption.get("salt"), str):
        raise _corrupt(path, "unknown cipher or missing salt")
    for field, (low, high) in (("opslimit", _KDF_OPSLIMIT_RANGE), ("memlimit", _KDF_MEMLIMIT_RANGE)):
        value = encryption.get(field)
        if type(value) is not int or not low <= value <= high:
            raise _corrupt(path, f"{field} missing or out of range")


def _public_key_of(document, path) -> bytes:
    public_key = _hex_field(document["public_key"], path, "public_key")
    if len(public_key) != PUBLIC_KEY_SIZE:
        raise _corrupt(path, "public_key has the wrong length")
    return public_key


def _seed_of(document, passphrase, name, path) -> bytes:
    secret = _hex_field(document["seed"], path, "seed")
    encryption = document["encryption"]
    if encryption is not None:
        secret = _decrypt(secret, encryption, passphrase, name, path)
    if len(secret) != SEED_SIZE:
        raise _corrupt(path, "seed has the wrong length")
    return secret


def _decrypt(ciphertext, encryption, passphrase, name, path) -> bytes:
    if passphrase is None:
        raise KeystoreError(f"key {name!r} is encrypted: a passphrase is required")
    salt = _hex_field(encryption["salt"], path, "salt")
    if len(salt) != nacl.pwhash.argon2id.SALTBYTES:
        raise _corrupt(path, "salt has the wrong length")
    try:
        key = _derive_key(passphrase, salt, encryption["opslimit"], encryption["memlimit"])
    except nacl.exceptions.CryptoError as error:
        raise KeystoreError(f"cannot derive the key of {name!r} from its passphrase: {error}") from None
    try:
        return nacl.secret.SecretBox(key).decrypt(ciphertext)
    except (nacl.exceptions.ValueError, nacl.exceptions.TypeError):
        # Both also derive from CryptoError: they must be caught first.
        raise _corrupt(path, "unreadable ciphertext") from None
    except nacl.exceptions.CryptoError:
        raise KeystoreError(f"wrong passphrase for key {name!r}") from None


def _hex_field(text, path, field) -> bytes:
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise _corrupt(path, f"{field} is not hexadecimal") from None


def _corrupt(path, reason) -> KeystoreError:
    return KeystoreError(f"key file {path} is corrupt: {reason}")


def _write_new_file(path: Path, data: bytes, name: str) -> None:
    """Write ``data`` to ``path`` with mode 0600, atomically, failing if ``path`` exists."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        # A hard link publishes the complete file under its name, or fails if the
        # name was taken meanwhile; a rename would silently replace another key.
        os.link(temporary, path)
        _sync_directory(path.parent)
    except FileExistsError:
        raise KeystoreError(f"a key named {name!r} already exists in {path.parent}") from None
    except OSError as error:
        raise KeystoreError(f"cannot write key file {path}: {error.strerror}") from None
    finally:
        try:
            os.unlink(temporary)
        except OSError:
            pass


def _sync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
