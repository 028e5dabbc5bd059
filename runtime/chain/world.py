"""The chain's world state: a WorldState plus membership, contract code and the chain's config.

Everything here changes only through journaled writes, like the rest of the
WorldState, so that a block's journal names every state row it touched (see
commitment.py). Unlike the development ledger, a chain keeps the journal for the
whole block: `commit()` does nothing, and the node clears the journal once the
block's rows are computed (`finish_block`), which also lets a block that cannot
be stored roll back as one.
"""

from __future__ import annotations

import hashlib

import attrs
from tabellion.runtime.access import Policy
from tabellion.runtime.compiler.support import MISSING
from tabellion.runtime.consensus.issuance import IssuanceSchedule
from tabellion.runtime.consensus.work import PowParams
from tabellion.runtime.encoding import encode
from tabellion.runtime.state import WorldState
from tabellion.runtime.values import Party

__all__ = ["ChainConfig", "ChainState", "Code", "compile_code", "module_imports", "pow_from_plain", "pow_to_plain"]


@attrs.frozen
class ChainConfig:
    """What genesis fixes for the life of a chain."""

    chain_id: str
    dev: bool
    policy: Policy
    currency: str
    block_gas_limit: int
    pow: PowParams | None = None  # proof-of-work rules; None on a proof-of-authority chain

    def to_plain(self) -> list:
        plain = [self.chain_id, self.dev, self.policy.to_plain(), self.currency, self.block_gas_limit]
        if self.pow is not None:
            plain.append(pow_to_plain(self.pow))
        return plain

    @classmethod
    def from_plain(cls, plain) -> ChainConfig:
        if type(plain) is not tuple or len(plain) not in (5, 6):
            raise ValueError("not a chain config")
        chain_id, dev, policy, currency, block_gas_limit = plain[:5]
        if not (type(chain_id) is str and type(dev) is bool and type(currency) is str
                and type(block_gas_limit) is int):
            raise ValueError("not a chain config")
        pow_params = pow_from_plain(plain[5]) if len(plain) == 6 else None
        return cls(chain_id, dev, Policy.from_plain(policy), currency, block_gas_limit, pow_params)


_POW_FIELDS = ("initial_target", "target_interval", "retarget_interval", "max_target", "max_adjustment",
               "max_future_drift")


def pow_to_plain(params: PowParams) -> dict:
    """A proof-of-work chain's rules as a plain map (genesis document and chain row)."""
    plain = {name: getattr(params, name) for name in _POW_FIELDS}
    plain["issuance"] = params.issuance.to_plain()
    return plain


def pow_from_plain(plain) -> PowParams:
    """The PowParams of `pow_to_plain`; ValueError if `plain` is not one."""
    if type(plain) is not dict or set(plain) != {*_POW_FIELDS, "issuance"} or type(plain["issuance"]) is not dict:
        raise ValueError("not proof-of-work parameters")
    try:
        issuance = IssuanceSchedule.from_plain(plain["issuance"])
    except TypeError as error:
        raise ValueError(f"not an issuance schedule ({error})") from None
    return PowParams(issuance=issuance, **{name: plain[name] for name in _POW_FIELDS})


@attrs.frozen
class Code:
    """The source a contract was deployed from, with the stdlib modules it imports."""

    file: str
    source: str
    imports: tuple  # ((name, source), ...) sorted by name

    @property
    def hash(self) -> bytes:
        return hashlib.sha256(encode([self.file, self.source, [list(p) for p in self.imports]])).digest()

    def to_plain(self) -> list:
        return [self.file, self.source, [list(pair) for pair in self.imports]]


class ChainState(WorldState):
    """A WorldState that also holds the membership, code and the code hash of each instance.

    The membership is the plain value of `runtime.membership` (members by address
    with their roles, the quorum, open proposals), kept in `chain_values`.
    """

    def __init__(self, config: ChainConfig):
        super().__init__(config.currency)
        self.config = config
        self.chain_values: dict[str, object] = {"membership": None}
        self.codes: dict[bytes, Code] = {}
        self.instance_code: dict[Party, bytes] = {}

    def commit(self) -> None:
        """Keep the journal: a chain commits whole blocks (see `finish_block`)."""

    def finish_block(self) -> None:
        """Forget the journal once the block's rows have been computed and stored."""
        self.journal.clear()

    def _write(self, table: dict, key, value) -> None:
        self.journal_append((table, key, table.get(key, MISSING)))
        if value is None:
            del table[key]
        else:
            table[key] = value

    def nonce(self, party: Party) -> int:
        return self.nonces.get(party, 0)

    def set_nonce(self, party: Party, nonce: int) -> None:
        self._write(self.nonces, party, nonce)

    @property
    def membership(self) -> dict:
        return self.chain_values["membership"]

    def set_membership(self, value: dict) -> None:
        self._write(self.chain_values, "membership", value)

    def is_member(self, party: Party) -> bool:
        return party.name in self.membership["members"]

    def add_code(self, code: Code) -> bytes:
        code_hash = code.hash
        if code_hash not in self.codes:
            self._write(self.codes, code_hash, code)
        return code_hash

    def set_instance_code(self, address: Party, code_hash: bytes) -> None:
        self._write(self.instance_code, address, code_hash)

    def validators(self) -> tuple:
        """The addresses of the members holding the validator role, in ascending order."""
        from tabellion.runtime.membership import validators

        return validators(self.membership)


# -- compiling code: cached by code hash, shared by every chain in the process

_compiled: dict[bytes, dict] = {}


def compile_code(code: Code) -> dict:
    """{contract name: CompiledContract} of `code`; raises CompileError."""
    code_hash = code.hash
    found = _compiled.get(code_hash)
    if found is None:
        from tabellion.lang import compile_source
        from tabellion.runtime.compiler import compile_module

        checked = compile_source(code.source, code.file, _loader(dict(code.imports)))
        found = _compiled[code_hash] = compile_module(checked)
    return found


def _loader(sources: dict):
    """`import NAME` resolved from the bundled sources only, never from the installed stdlib."""
    from tabellion.lang import compile_source

    loaded: dict = {}

    def load(name: str):
        if name not in sources:
            return None
        if name not in loaded:
            loaded[name] = compile_source(sources[name], f"<stdlib>/{name}.sc", load)
        return loaded[name]

    return load


def module_imports(checked) -> tuple:
    """((name, source), ...) of every module `checked` imports, directly or not, sorted."""
    from tabellion.lang import ast

    found: dict[str, str] = {}

    def visit(module) -> None:
        names = [node.module.text for node in module.module.of_kind(ast.Import)]
        for name, imported in zip(names, module.imports):
            if name not in found:
                found[name] = imported.source
                visit(imported)

    visit(checked)
    return tuple(sorted(found.items()))
