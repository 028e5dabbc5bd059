"""`tabellion keys new|list|show`: the identities in the keystore ($TABELLION_HOME/keys).

A key is an Ed25519 key pair stored under a name; its address (`tb1...`) is what
a chain knows it by. `--passphrase-file F` encrypts a new key with the passphrase
read from F (the file's content without its final newline).
"""

from __future__ import annotations

import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    actions.required = True
    new = actions.add_parser("new", help="create a key", description="create a new key pair under NAME")
    new.add_argument("name", metavar="NAME")
    new.add_argument("--passphrase-file", metavar="FILE", help="encrypt the key with the passphrase in FILE")
    actions.add_parser("list", help="list the keys", description="list the keys of the keystore")
    show = actions.add_parser("show", help="show a key's address", description="show a key's address and public key")
    show.add_argument("name", metavar="NAME")


def run(args) -> int:
    from ..chain.cli_support import read_passphrase
    from ..keys import Keystore

    keystore = Keystore()
    if args.action == "new":
        passphrase = read_passphrase(args.passphrase_file, args.name)
        if args.passphrase_file is not None and not passphrase:
            print(f"error: the passphrase file {args.passphrase_file} is empty", file=sys.stderr)
            return 1
        keypair = keystore.new(args.name, passphrase)
        encrypted = " (encrypted)" if passphrase else ""
        print(f"created key {args.name}{encrypted}")
        print(f"address     {keypair.address}")
        print(f"public key  {keypair.public_key.hex()}")
        return 0
    if args.action == "list":
        names = keystore.list()
        if not names:
            print(f"no keys in {keystore.directory} (create one with `tabellion keys new NAME`)", file=sys.stderr)
            return 0
        width = max(len(name) for name in names)
        for name in names:
            info = keystore.show(name)
            print(f"{name:<{width}}  {info.address}{'  (encrypted)' if info.encrypted else ''}")
        return 0
    info = keystore.show(args.name)
    print(f"name        {info.name}")
    print(f"address     {info.address}")
    print(f"public key  {info.public_key.hex()}")
    print(f"encrypted   {'yes' if info.encrypted else 'no'}")
    print(f"file        {info.path}")
    return 0
