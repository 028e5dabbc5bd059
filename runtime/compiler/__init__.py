"""The compiler: checked contracts to Python functions built through `ast` nodes.

User text never reaches Python source: names are mangled (`v_total`, `f_fee`,
`e_buy`), literals are `ast.Constant` values or prebuilt values held in the
module's globals (`_k3` for `20 EUR`), and state lives in dictionaries addressed by
constant keys. Compiled contracts are cached by the hash of their source text.
"""

from __future__ import annotations

import ast as py
import hashlib

import attrs

from tabellion.lang import ast
from tabellion.lang.checked import CheckedModule, ContractInfo
from tabellion.lang.types import RecordT

from .. import gas
from ..spans import register_code_file
from ..values import make_record_type
from .expressions import attr, call, const, located, name, store
from .statements import FunctionCompiler, charge
from .support import GLOBALS

__all__ = ["CompiledContract", "compile_module", "compile_contract", "compile_scenario_code", "record_class_for"]

_records: dict[tuple, type] = {}
_cache: dict[tuple, "CompiledContract"] = {}


def record_class_for(record: RecordT) -> type:
    """The one runtime class of a record type (shared by contracts and scenarios)."""
    key = (record.contract, record.name, record.field_names)
    if key not in _records:
        _records[key] = make_record_type(record.name, record.field_names)
    return _records[key]


@attrs.frozen(eq=False)
class CompiledContract:
    """A contract ready to run: one Python function per entry, fn, invariant and default."""

    name: str
    info: ContractInfo
    checked: CheckedModule
    entries: dict
    fns: dict
    init: object
    invariants: tuple
    param_defaults: dict
    state_defaults: object
    pays: dict
    spans: tuple
    code_hash: str
    filename: str
    traced: bool = False


class Unit:
    """Module-wide tables of one generated module: constants, spans, record classes."""

    def __init__(self, checked: CheckedModule, filename: str, source_path: str):
        self.checked = checked
        self.source_path = source_path
        self.filename = filename
        self.globals = dict(GLOBALS)
        self.constants: dict[tuple, str] = {}
        self.spans: list = []
        self.span_ids: dict = {}

    def constant(self, value) -> py.Name:
        key = (type(value), value)
        if key not in self.constants:
            self.constants[key] = f"_k{len(self.constants)}"
            self.globals[self.constants[key]] = value
        return name(self.constants[key])

    def record_class(self, record: RecordT) -> py.Name:
        global_name = f"_record_{record.contract}_{record.name}"
        self.globals[global_name] = record_class_for(record)
        return name(global_name)

    def span_index(self, span) -> int:
        if span not in self.span_ids:
            self.span_ids[span] = len(self.spans)
            self.spans.append(span)
        return self.span_ids[span]

    def build(self, functions: list[py.FunctionDef]) -> dict:
        module = py.Module(functions, [])
        try:
            code = compile(module, self.filename, "exec")
        except (SyntaxError, RecursionError, ValueError) as error:
            from tabellion.lang.diagnostics import Diagnostic
            from tabellion.lang.errors import CompileError

            raise CompileError([Diagnostic("E0003", f"too deeply nested to compile ({error.__class__.__name__}: {error})",
                                           None, hint="move nested loops and long expressions into fns")]) from None
        register_code_file(self.filename, self.source_path)
        namespace = self.globals
        exec(code, namespace)
        return namespace


_PROLOGUE = (("_g", "gas"), ("_S", "storage"), ("_P", "params"), ("_R", "roles"), ("_J", "journal_append"))


def _function(fname: str, params: list[str], body: list[py.stmt], span, depth_guard: bool = False) -> py.FunctionDef:
    prologue = [py.Assign([store(local)], attr("_x", attribute)) for local, attribute in _PROLOGUE]
    if depth_guard:
        guard = [
            py.AugAssign(py.Attribute(name("_x"), "depth", py.Store()), py.Add(), const(1)),
            py.If(py.Compare(attr("_x", "depth"), [py.Gt()], [const(gas.MAX_CALL_DEPTH)]),
                  [py.Expr(call("_depth_exceeded"))], []),
        ]
        release = [py.AugAssign(py.Attribute(name("_x"), "depth", py.Store()), py.Sub(), const(1))]
        body = guard + [py.Try(body, [], [], release)]
    arguments = py.arguments(posonlyargs=[], args=[py.arg("_x")] + [py.arg(p) for p in params], vararg=None,
                             kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    function = py.FunctionDef(fname, arguments, prologue + body, [], None, None)
    return located(function, span)


def compile_contract(checked: CheckedModule, info: ContractInfo, traced: bool = False) -> CompiledContract:
    """Compile one contract of `checked` (cached by source hash)."""
    digest = hashlib.sha256(info.decl.span.file.encode() + b"\0" + checked.source.encode()).hexdigest()
    key = (digest, info.name, traced)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    filename = f"<tabellion {info.decl.span.file} {info.name}>"
    unit = Unit(checked, filename, info.decl.span.file)
    functions, names = [], {}

    def add(fname, params, statements, span, mode, depth_guard=False, extra_cost=0):
        compiler = FunctionCompiler(unit, mode)
        compiler.traced = traced
        functions.append(_function(fname, params, compiler.block(statements, extra_cost), span, depth_guard))
        return fname

    for fn in info.fns.values():
        names.setdefault("fns", {})[fn.name] = add(
            "f_" + fn.name, ["v_" + p for p, _ in fn.params], fn.decl.body.body, fn.decl.span, "fn",
            depth_guard=True, extra_cost=gas.CALL_FN)
    for entry in info.entries.values():
        names.setdefault("entries", {})[entry.name] = add(
            "e_" + entry.name, ["v_" + p for p, _ in entry.params], entry.decl.body.body, entry.decl.span, "entry")
        if entry.pays_amount is not None:
            names.setdefault("pays", {})[entry.name] = add(
                "p_" + entry.name, [], [ast.Return(entry.pays_amount, entry.pays_amount.span)],
                entry.pays_amount.span, "entry")
    if info.init is not None:
        names["init"] = add("i_init", [], info.init.body.body, info.init.span, "init")
    for index, invariant in enumerate(info.invariants):
        names.setdefault("invariants", []).append(add(
            f"inv_{index}", [], [ast.Return(invariant.condition, invariant.condition.span)], invariant.span,
            "invariant"))
    for param in info.params.values():
        if param.default is not None:
            names.setdefault("param_defaults", {})[param.name] = add(
                "d_" + param.name, [], [ast.Return(param.default, param.default.span)], param.decl.span, "default")
    functions.append(_state_defaults(unit, info))
    namespace = unit.build(functions)
    pick = lambda group: {k: namespace[v] for k, v in names.get(group, {}).items()}
    compiled = CompiledContract(
        name=info.name,
        info=info,
        checked=checked,
        entries=pick("entries"),
        fns=pick("fns"),
        init=namespace[names["init"]] if "init" in names else None,
        invariants=tuple(zip((namespace[n] for n in names.get("invariants", [])), info.invariants)),
        param_defaults=pick("param_defaults"),
        state_defaults=namespace["s_defaults"],
        pays=pick("pays"),
        spans=tuple(unit.spans),
        code_hash=digest,
        filename=filename,
        traced=traced,
    )
    _cache[key] = compiled
    return compiled


def _state_defaults(unit: Unit, info: ContractInfo) -> py.FunctionDef:
    """`s_defaults(_x)`: the initial value of every state field that has one."""
    from .defaults import default_value

    compiler = FunctionCompiler(unit, "default")
    body: list[py.stmt] = []
    for field in info.state.values():
        if field.default is not None:
            value = compiler.binding(field.default)
        else:
            value = default_value(unit, field.type)
            if value is None:
                continue  # no natural zero (Party, Date, ...): unset until assigned
        target = py.Subscript(name("_S"), const(field.name), py.Store())
        body.append(located(py.Assign([target], value), field.decl.span))
    cost = compiler.cost
    statements = charge(cost) + body if cost else body
    return _function("s_defaults", [], [located(s, info.decl.span) for s in statements] or [py.Pass()], info.decl.span)


def compile_module(checked: CheckedModule, traced: bool = False) -> dict[str, CompiledContract]:
    """Every contract visible in `checked` (its own and its imports'), compiled."""
    compiled = {}
    for imported in checked.imports:
        compiled.update(compile_module(imported, traced))
    for info in checked.contracts.values():
        compiled[info.name] = compile_contract(checked, info, traced)
    return compiled


def compile_scenario_code(checked: CheckedModule, node, kind: str = "expr"):
    """A function `f(_x)` evaluating a scenario expression, or running a scenario statement."""
    filename = f"<tabellion {node.span.file} scenario>"
    unit = Unit(checked, filename, node.span.file)
    compiler = FunctionCompiler(unit, "scenario")
    if kind == "expr":
        statements = [py.Return(compiler.expr(node))]
    else:
        statements = [located(s, node.span) for s in compiler.statement(node)]
    prologue = [py.Assign([store("_g")], attr("_x", "gas"))]
    arguments = py.arguments(posonlyargs=[], args=[py.arg("_x")], vararg=None, kwonlyargs=[],
                             kw_defaults=[], kwarg=None, defaults=[])
    function = located(py.FunctionDef("scenario_code", arguments, prologue + statements, [], None, None), node.span)
    return unit.build([function])["scenario_code"]
