"""`tabellion repl --chain DIR`: the session's steps as signed transactions on a persistent chain.

The ledger is `chain_scenarios.ChainLedger` (the adapter `tabellion run --chain`
uses), with party names resolved by `KeystoreKeys`: a key of the keystore, else,
on a dev chain, the development key of that name (`keys.dev_keypair(NAME)`, the
same key `tabellion call --as NAME` signs with). Every transaction is one block,
failed ones included, and blocks are final: nothing is replayed or undone.

Reads of contract fields (`w.total`, `expect`, `:state`) go through the node's
read interface (`chain/reads.py`), signed by the `:as` party's key or anonymous
without one, so `visible to` and the chain's read policy apply as they do to
`tabellion query`.
"""

from __future__ import annotations

import re

from .. import access
from ..chain.cli_support import Names, load_signer
from ..chain.reads import Reads, sign_read
from ..chain_scenarios import ChainContext, ChainLedger
from ..values import Party

__all__ = ["KeystoreKeys", "Reads", "ReplChainContext", "chain_ledger", "display_name", "renamer", "sign_request"]

_ADDRESS = re.compile(r"tb1[0-9a-f]{40}")


class KeystoreKeys:
    """Party names to addresses and key pairs: the keystore first, then (dev chains) development keys."""

    def __init__(self, dev: bool, passphrase_file: str | None = None):
        self.dev = dev
        self.passphrase_file = passphrase_file
        self.names = Names(dev)
        self.loaded: dict = {}

    def address(self, name: str) -> str:
        return self.names.party(name).name

    def keypair(self, name: str):
        keypair = self.loaded.get(name)
        if keypair is None:
            keypair = self.loaded[name] = load_signer(name, self.dev, self.passphrase_file, self.names.keystore)
        return keypair


def chain_ledger(chain, passphrase_file: str | None = None) -> ChainLedger:
    return ChainLedger(chain, keys=KeystoreKeys(chain.config.dev, passphrase_file))


class ReplChainContext(ChainContext):
    """Scenario expressions on a chain: parties are addresses, fields are read through `Reads`."""

    def __init__(self, runner, ledger, session):
        super().__init__(runner, ledger)
        self.session = session

    def state_of(self, address: Party | None, field: str):
        target = address if address is not None else self.current
        if target is not None:
            request = self.session.read_request(access.Action.READ_FIELD, access.Field(target.name, field))
            self.session.reads.field(request, target.name, field)  # AccessDenied when the reader may not see it
        return super().state_of(address, field)


def sign_request(session, action, resource):
    """A read request signed by the `:as` party's key, or None (anonymous) without one."""
    if not session.party:
        return None
    keypair = session.ledger.keys.keypair(session.party)
    return sign_read(keypair, session.chain.config.chain_id, action, resource)


def renamer(ledger: ChainLedger):
    """Text -> text with each party's address replaced by the name it was given (contracts keep theirs)."""
    def rename(text: str) -> str:
        return _ADDRESS.sub(lambda match: display_name(ledger, match.group(0)), text)
    return rename


def display_name(ledger: ChainLedger, address: str) -> str:
    """The name a party's address prints as: one the session gave it, a keystore key's, a development name's."""
    name = ledger.names.get(address)
    if name is None and ledger.keys is not None:
        known = ledger.keys.names
        known.stored()
        name = known.names.get(address)
    return name if name is not None and "@" not in name else address
