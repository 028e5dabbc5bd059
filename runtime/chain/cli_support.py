"""What the chain commands share: keys by name, party names, submitting, printing receipts.

Names on the command line: `--as NAME` and party literals name a key in the
keystore ($TABELLION_HOME/keys); on a development chain a name that is not in
the keystore is the development key of that name (`alice`). An address
(`tb1...`) is always itself.
"""

from __future__ import annotations

import getpass
import os
import sys

from tabellion.runtime import gas
from tabellion.runtime.keys import (
    Keystore,
    KeystoreError,
    address_of,
    dev_keypair,
    is_address,
)
from tabellion.runtime.values import Party, format_value

from .errors import ChainError

__all__ = ["Names", "add_key_arguments", "add_reader_arguments", "load_reader", "load_signer", "print_receipt",
           "read_request", "submit", "validator_signer"]

DEV_VALIDATOR = "validator"


def add_key_arguments(parser, gas_option: bool = True) -> None:
    parser.add_argument("--chain", metavar="DIR", required=True, help="the chain directory")
    parser.add_argument("--as", dest="as_key", metavar="KEY", required=True,
                        help="sign as this key of the keystore (on a dev chain, also a development name)")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the key's passphrase from FILE")
    if gas_option:
        parser.add_argument("--gas", type=int, default=gas.DEFAULT_GAS_LIMIT, metavar="N",
                            help=f"the gas limit (default {gas.DEFAULT_GAS_LIMIT:_})")


def add_reader_arguments(parser) -> None:
    parser.add_argument("--as", dest="as_key", metavar="KEY",
                        help="read as this key: the read is signed with it (default: an anonymous read)")
    parser.add_argument("--passphrase-file", metavar="FILE", help="read the key's passphrase from FILE")


def load_reader(chain, args):
    """The key a read is signed with (`--as`), or None for an anonymous read."""
    if not getattr(args, "as_key", None):
        return None
    return load_signer(args.as_key, chain.config.dev, getattr(args, "passphrase_file", None))


def read_request(chain, reader, action, resource):
    """The wire bytes of a read request `reader` signs for this chain (None when anonymous)."""
    from .reads import sign_read

    return sign_read(reader, chain.config.chain_id, action, resource)


def read_passphrase(path: str | None, name: str):
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read().rstrip(b"\r\n")
    except OSError as error:
        raise ChainError(f"cannot read the passphrase file {path}: {error.strerror}") from None


def load_signer(name: str, dev: bool, passphrase_file: str | None = None, keystore: Keystore | None = None):
    """The key pair named `name`: from the keystore, or on a dev chain the development key."""
    keystore = keystore or Keystore()
    if name in keystore.list():
        info = keystore.show(name)
        passphrase = read_passphrase(passphrase_file, name)
        if info.encrypted and passphrase is None:
            if not sys.stdin.isatty():
                raise ChainError(f"key '{name}' is encrypted: pass --passphrase-file")
            passphrase = getpass.getpass(f"passphrase of key '{name}': ")
        return keystore.load(name, passphrase)
    if dev:
        return dev_keypair(name)
    raise ChainError(f"no key named '{name}' in the keystore at {keystore.directory} "
                     f"(create one with `tabellion keys new {name}`)")


def validator_signer(chain, timestamp: int | None = None):
    """The key this node signs the next block with: of the keys named at `chain init`, the one
    whose turn it is (proof of authority) for a block stamped `timestamp` (default: now);
    on a proof-of-work chain, the first of them, which mines."""
    recorded = (chain.storage.meta("validator_key") or b"").decode()
    names = [name for name in recorded.split(",") if name]
    if not names:
        if not chain.config.dev:
            raise ChainError("this chain has no validator key recorded for this node")
        names = [DEV_VALIDATOR]
    turn = None if chain.config.pow is not None else chain.proposer_for(chain.next_timestamp(timestamp))
    loaded = chain.__dict__.setdefault("validator_keys", {})  # name -> KeyPair, loaded once per handle
    for name in names:
        keypair = loaded.get(name)
        if keypair is None:
            keypair = loaded[name] = _load_validator(name, chain.config.dev)
        if turn is None or keypair.address == turn:  # proof of work: this node's first key mines
            return keypair
    raise ChainError(f"it is {turn}'s turn to sign the next block, and this node holds no key for it "
                     f"(its keys: {', '.join(names)}); the turn passes on after a silence")


def _load_validator(name: str, dev: bool):
    keystore = Keystore()
    if dev and name not in keystore.list():
        return dev_keypair(name)
    try:
        return load_signer(name, False, os.environ.get("TABELLION_VALIDATOR_PASSPHRASE_FILE"), keystore)
    except KeystoreError as error:
        raise ChainError(f"cannot load the chain's validator key '{name}': {error}") from None


class Names:
    """Party names and addresses, both ways, for reading and printing."""

    def __init__(self, dev: bool, keystore: Keystore | None = None):
        self.dev = dev
        self.keystore = keystore or Keystore()
        self._stored: dict[str, str] | None = None
        self.names: dict[str, str] = {}   # address -> name, for printing

    def stored(self) -> dict:
        if self._stored is None:
            self._stored = {}
            try:
                for name in self.keystore.list():
                    try:
                        self._stored[name] = self.keystore.show(name).address
                    except KeystoreError:
                        continue
            except KeystoreError:
                pass
            for name, address in self._stored.items():
                self.names.setdefault(address, name)
            if self.dev:  # development keys print as the names they come from
                from .devkeys import DEV_NAMES

                for name in DEV_NAMES:
                    self.names.setdefault(dev_keypair(name).address, name)
        return self._stored

    def party(self, name: str) -> Party:
        """The Party a name on the command line stands for."""
        if is_address(name):
            return Party(name)
        address = self.stored().get(name)
        if address is None and self.dev:
            address = dev_keypair(name).address
        if address is None:
            raise ChainError(f"unknown party '{name}': use an address (tb1...) or the name of a key in the keystore")
        self.names.setdefault(address, name)
        return Party(address)

    def remember(self, name: str, public_key: bytes) -> None:
        self.names.setdefault(address_of(public_key), name)

    def show(self, party) -> str:
        text = str(party)
        self.stored()
        name = self.names.get(text)
        return f"{text} ({name})" if name else text


def submit(chain, tx, out=None):
    """Propose a block holding `tx`; return its receipt, or raise with the rejection."""
    out = out or sys.stdout
    timestamp = chain.next_timestamp()
    if chain.config.pow is not None:  # mined by the sender; the coinbase pays the configured miner, else the sender
        miner = chain.storage.meta("miner")
        result = chain.propose([tx], tx.sender, timestamp=timestamp, miner=miner.decode() if miner else None)
    else:
        result = chain.propose([tx], validator_signer(chain, timestamp), timestamp=timestamp)
    if result.rejected:
        raise ChainError(f"transaction rejected: {result.rejected[0][1]}")
    if result.header is None:
        raise ChainError("the transaction did not fit in a block")
    (_, receipt), = result.included
    print(f"block {result.header.height}  transaction {tx.hash.hex()}", file=out)
    return receipt


def print_receipt(receipt, names: Names, out=None) -> None:
    out = out or sys.stdout
    status = receipt.status
    print(f"{status}   gas {receipt.gas_used:_} of {receipt.gas_limit:_}", file=out)
    if receipt.reason:
        where = f" at {receipt.span}" if receipt.span is not None else ""
        print(f"  reason: {receipt.reason}{where}", file=out)
    if receipt.address is not None:
        print(f"  deployed at {receipt.address}", file=out)
    for event in receipt.events:
        print(f"  event {event}", file=out)
    for transfer in receipt.transfers:
        print(f"  pay {transfer.amount} {names.show(transfer.source)} -> {names.show(transfer.target)}", file=out)
    if receipt.value is not None:
        print(f"  returned {format_value(receipt.value)}", file=out)
