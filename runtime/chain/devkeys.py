"""Recognising development keys, which a chain that is not in dev mode refuses.

A development key is derived from a party's name (`keys.dev_keypair`), so anyone
can compute it: it proves nothing about who signed. Any name gives one, so not
every development key can be recognised; this module recognises the keys of a
fixed list of names: those the examples, the standard library and the usual
test and tutorial parties use. The list is part of the chain's rules (replay
must refuse exactly the same keys on every machine), so names are only ever
added, with care, never derived from what a process happened to see.
"""

from __future__ import annotations

from tabellion.runtime.keys import dev_keypair

__all__ = ["DEV_NAMES", "dev_name_of"]

_NAMES = {
    "alice", "bob", "carol", "charlie", "dave", "david", "eve", "erin", "frank", "grace", "heidi", "ivan",
    "judy", "mallory", "niaj", "olivia", "oscar", "peggy", "rupert", "sybil", "trent", "trudy", "victor",
    "walter", "wendy", "validator", "deployer", "faucet", "admin", "notary", "oracle", "insurer", "reinsurer",
    "issuer", "holder", "owner", "buyer", "seller", "supplier", "suppliers", "retailer", "shop", "platform",
    "agent", "arbiter", "manager", "director", "producer", "financier", "financiers", "distributor",
    "investors", "pension_fund", "studio", "composer", "publisher", "author", "society", "sales_agent", "gap",
    "cam", "bank", "lender", "borrower", "debtor", "creditor", "factor", "spender", "stranger", "anyone",
    "acme", "airline", "akinyi", "alpha", "angel", "axa", "bolt", "bpifund", "dan", "ed_sud", "film_fund",
    "fincorp", "fintage", "flightdata", "hotel", "lea", "malik", "meteo", "mutua", "nord", "northbank",
    "otieno", "pathe", "reg", "sacem", "sacem_bank", "tradeflow", "wanjiru", "wildbunch", "party", "p1", "p2",
    "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10",
}
DEV_NAMES = tuple(sorted(_NAMES | {f"party{i}" for i in range(100)}))

_known: dict[bytes, str] | None = None


def dev_name_of(public_key: bytes) -> str | None:
    """The name whose development key is `public_key`, if it is one of DEV_NAMES."""
    global _known
    if _known is None:
        _known = {dev_keypair(name).public_key: name for name in DEV_NAMES}
    return _known.get(public_key)
