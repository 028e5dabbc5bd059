"""Typing calls: fns, record construction, built-in functions, collection methods,
and calls of other contracts' entries."""

from __future__ import annotations

from .. import ast
from ..literals import KNOWN_CURRENCIES
from ..types import (
    BOOL, DATE, DURATION, ERROR, INT, PARTY, RATE, TEXT, TIME, VOID,
    ContractT, DurationT, ErrorT, IntT, ListT, MapT, MoneyT, RateT, RecordT, TextT, Type,
    is_ordered, join,
)

__all__ = ["check_call", "check_contract_call", "check_arguments"]

_SUMMABLE = (IntT, MoneyT, RateT, DurationT)
_UNIT_FUNCTIONS = {"days": 86_400, "hours": 3_600, "minutes": 60}
_MUTATING_METHODS = {"append", "remove", "insert", "pop"}


def check_call(ec, node: ast.Call, env, expected) -> Type:
    func = node.func
    if isinstance(func, ast.Attribute):
        return _method(ec, node, func, env)
    if not isinstance(func, ast.Name):
        ec.check(func, env)
        ec.ctx.error("E0308", "this cannot be called", func.span)
        return ERROR
    name, contract = func.text, env.contract
    if env.scope.lookup(name) is None:
        if contract is not None and name in contract.fns:
            return _fn(ec, node, contract.fns[name], env)
        if contract is not None and name in contract.records:
            return _record(ec, node, contract.records[name], env)
        if env.mode == "scenario":
            record = _scenario_record(ec, name)
            if record is not None:
                return _record(ec, node, record, env)
        if name in _BUILTINS:
            ec.ctx.note_ref(node, "builtin", name)
            return _BUILTINS[name](ec, node, env, expected)
    local = env.scope.lookup(name)
    known = local[0] if local is not None else None
    if known is None and contract is not None:
        info = contract.params.get(name) or contract.state.get(name)
        known = info.type if info is not None else None
    if known is not None:
        ec.ctx.error("E0308", f"'{name}' is a value of type {known}, not a function", func.span)
    elif contract is not None and name in contract.entries:
        ec.ctx.error("E0406", f"'{name}' is an entry; entries are called from outside, not from code",
                     func.span, hint="move the shared code into a `fn`")
    else:
        candidates = [*_BUILTINS, *(contract.fns if contract else ()), *(contract.records if contract else ())]
        ec.ctx.error("E0206", f"unknown function '{name}'", func.span, hint=ec.ctx.did_you_mean(name, candidates))
    for arg in node.args:
        ec.check(arg.value, env)
    return ERROR


def _scenario_record(ec, name: str):
    for contract in ec.contracts.values():
        if name in contract.records:
            return contract.records[name]
    return None


def check_arguments(ec, node, args, params, env, what: str, code: str = "E0303") -> tuple[int, ...] | None:
    """Match `args` (positional then named) to `params`; returns each argument's param index."""
    names = [p[0] for p in params]
    order, filled = [], set()
    for position, arg in enumerate(args):
        if arg.name is None:
            if filled and position != len(order) or any(a.name is not None for a in args[:position]):
                ec.ctx.error(code, "a positional argument cannot follow a named one", arg.span)
                return None
            index = position
            if index >= len(params):
                ec.ctx.error(code, f"{what} takes {len(params)} argument{'s' * (len(params) != 1)}, "
                                      f"but {len(args)} were given", arg.span)
                return None
        else:
            if arg.name.text not in names:
                ec.ctx.error(code, f"{what} has no {'field' if code == 'E0310' else 'parameter'} '{arg.name.text}'", arg.name.span,
                             hint=ec.ctx.did_you_mean(arg.name.text, names))
                return None
            index = names.index(arg.name.text)
        if index in filled:
            ec.ctx.error(code, f"'{names[index]}' is given twice", arg.span)
            return None
        filled.add(index)
        order.append(index)
        ec.expect(arg.value, env, params[index][1], f"'{names[index]}'")
    missing = [names[i] for i in range(len(params)) if i not in filled]
    if missing:
        ec.ctx.error(code, f"{what} is missing {', '.join(repr(m) for m in missing)}", node.span)
        return None
    return tuple(order)


def _fn(ec, node, fn, env) -> Type:
    if env.mode == "default":
        ec.ctx.error("E0406", "a default value cannot call a fn", node.span)
    order = check_arguments(ec, node, node.args, fn.params, env, f"fn {fn.name}")
    ec.ctx.note_ref(node, "fn", fn.name, order)
    return fn.returns


def _record(ec, node, record: RecordT, env) -> Type:
    order = check_arguments(ec, node, node.args, record.fields, env, f"record {record.name}", "E0310")
    ec.ctx.note_ref(node, "record", record.name, order)
    return record


def _method(ec, node: ast.Call, func: ast.Attribute, env) -> Type:
    obj_type = ec.check(func.obj, env)
    method = func.name.text
    args = node.args
    if isinstance(obj_type, ErrorT):
        for arg in args:
            ec.check(arg.value, env)
        return ERROR
    table = _MAP_METHODS if isinstance(obj_type, MapT) else _LIST_METHODS if isinstance(obj_type, ListT) else None
    if table is None or method not in table:
        candidates = list(table) if table else []
        ec.ctx.error("E0206", f"{obj_type} has no method '{method}'", func.name.span,
                     hint=ec.ctx.did_you_mean(method, candidates))
        for arg in args:
            ec.check(arg.value, env)
        return ERROR
    kind = "map" if isinstance(obj_type, MapT) else "list"
    params, result = table[method](obj_type)
    if any(a.name is not None for a in args) or len(args) != len(params):
        ec.ctx.error("E0303", f"{method} takes {len(params)} argument{'s' * (len(params) != 1)}", node.span)
        return result
    for arg, wanted in zip(args, params):
        ec.expect(arg.value, env, wanted, f"the argument of {method}")
    if method in _MUTATING_METHODS:
        from .statements import check_place

        check_place(ec, func.obj, env, f"`{method}` changes")
    ec.ctx.note_ref(node, "method", f"{kind}.{method}")
    return result


_MAP_METHODS = {
    "get": lambda t: ((t.key, t.value), t.value),
    "remove": lambda t: ((t.key,), VOID),
    "keys": lambda t: ((), ListT(t.key)),
    "values": lambda t: ((), ListT(t.value)),
}
_LIST_METHODS = {
    "append": lambda t: ((t.item,), VOID),
    "insert": lambda t: ((INT, t.item), VOID),
    "pop": lambda t: ((), t.item),
    "contains": lambda t: ((t.item,), BOOL),
}


# ------------------------------------------------------------------- built-ins


def _arity(ec, node, low: int, high: int | None = None) -> bool:
    high = low if high is None else high
    count = len(node.args)
    if count < low or count > high or any(a.name is not None for a in node.args):
        name = node.func.text
        wanted = f"{low}" if low == high else f"{low} or {high}"
        ec.ctx.error("E0303", f"{name} takes {wanted} positional argument{'s' * (high != 1)}", node.span)
        return False
    return True


def _len(ec, node, env, expected):
    if not _arity(ec, node, 1):
        return INT
    t = ec.check(node.args[0].value, env)
    if not isinstance(t, (ListT, MapT, TextT, ErrorT)):
        ec.ctx.error("E0301", f"len takes a List, a Map or a Text, not {t}", node.args[0].span)
    return INT


def _sum(ec, node, env, expected):
    if not _arity(ec, node, 1):
        return ERROR
    t = ec.check(node.args[0].value, env, ListT(expected) if expected else None)
    if isinstance(t, ErrorT):
        return ERROR
    if isinstance(t, ListT) and isinstance(t.item, _SUMMABLE):
        return t.item
    if isinstance(t, MapT) and isinstance(t.value, _SUMMABLE):
        return t.value
    ec.ctx.error("E0301", f"sum takes a list of Int, Money, Rate or Duration, not {t}", node.args[0].span)
    return ERROR


def _min_max(ec, node, env, expected):
    if not _arity(ec, node, 2):
        return ERROR
    a = ec.check(node.args[0].value, env, expected)
    b = ec.check(node.args[1].value, env, a)
    joined = join(a, b)
    if joined is None or not is_ordered(joined):
        ec.ctx.error("E0304", f"{node.func.text} needs two values of one ordered type, not {a} and {b}", node.span)
        return ERROR
    return joined


def _abs(ec, node, env, expected):
    if not _arity(ec, node, 1):
        return ERROR
    t = ec.check(node.args[0].value, env, expected)
    if not isinstance(t, (IntT, MoneyT, RateT, DurationT, ErrorT)):
        ec.ctx.error("E0301", f"abs takes a number, money, a rate or a duration, not {t}", node.span)
        return ERROR
    return t


def _range(ec, node, env, expected):
    if not _arity(ec, node, 1, 2):
        return ListT(INT)
    for arg in node.args:
        ec.expect(arg.value, env, INT, "a range bound")
    return ListT(INT)


def _date(ec, node, env, expected):
    if _arity(ec, node, 1):
        ec.expect(node.args[0].value, env, TIME, "the argument of date")
    return DATE


def _time(ec, node, env, expected):
    if _arity(ec, node, 1):
        ec.expect(node.args[0].value, env, DATE, "the argument of time")
    return TIME


def _unit(ec, node, env, expected):
    if _arity(ec, node, 1):
        ec.expect(node.args[0].value, env, DURATION, f"the argument of {node.func.text}")
    return INT


def _ratio(ec, node, env, expected):
    if not _arity(ec, node, 2):
        return RATE
    a = ec.check(node.args[0].value, env)
    b = ec.check(node.args[1].value, env, a)
    ok = (isinstance(a, IntT) and isinstance(b, IntT)) or (isinstance(a, MoneyT) and join(a, b) is not None)
    if not ok and not isinstance(a, ErrorT) and not isinstance(b, ErrorT):
        ec.ctx.error("E0304", f"ratio takes two Ints or two amounts of one currency, not {a} and {b}", node.span)
    return RATE


def _balance(ec, node, env, expected):
    """`balance(USD)` in a contract; `balance(p)`, `balance(p, USD)`, `balance(w)` in a scenario."""
    args = node.args
    currency = None
    if args and isinstance(args[-1].value, ast.Name) and args[-1].value.text in KNOWN_CURRENCIES \
            and env.scope.lookup(args[-1].value.text) is None:
        currency = args[-1].value.text
        ec.ctx.types[id(args[-1].value)] = MoneyT(currency)
        ec.ctx.note_ref(args[-1].value, "currency", currency)
        args = args[:-1]
    if env.mode != "scenario":
        if args:
            ec.ctx.error("E0303", "in a contract, balance(...) takes only a currency: `balance(USD)`",
                         node.span, hint="`balance` alone is the contract's balance in the chain's currency")
        return MoneyT(currency)
    if len(args) != 1:
        ec.ctx.error("E0303", "balance takes a party or a contract, and optionally a currency", node.span)
        return MoneyT(currency)
    t = ec.check(args[0].value, env, PARTY)
    if t != PARTY and not isinstance(t, (ContractT, ErrorT)):
        ec.ctx.error("E0301", f"balance takes a party or a contract, not {t}", args[0].span)
    return MoneyT(currency)


def _text(ec, node, env, expected):
    if _arity(ec, node, 1):
        t = ec.check(node.args[0].value, env)
        if isinstance(t, (ListT, MapT)) or t == VOID:
            ec.ctx.error("E0301", f"text takes a single value, not {t}", node.args[0].span)
    return TEXT


_BUILTINS = {
    "len": _len, "sum": _sum, "min": _min_max, "max": _min_max, "abs": _abs, "range": _range,
    "date": _date, "time": _time, "days": _unit, "hours": _unit, "minutes": _unit,
    "ratio": _ratio, "balance": _balance, "text": _text,
}


# ------------------------------------------------------------- contract calls


def check_contract_call(ec, node: ast.ContractCall, env, expected) -> Type:
    """`call other.entry(args) paying x` in code; in scenarios also `by p`, bare entries."""
    if env.mode == "scenario":
        contract = env.scenario.call_target(ec, node, env)
    else:
        contract = _code_call_target(ec, node, env)
    if node.paying is not None:
        ec.expect(node.paying, env, MoneyT(), "the payment")
    if node.by is not None:
        if env.mode != "scenario":
            ec.ctx.error("E0406", "`by` is only for scenarios: a contract always calls as itself", node.by.span)
        ec.expect(node.by, env, PARTY, "the caller")
    if contract is None:
        for arg in node.args:
            ec.check(arg.value, env)
        return ERROR
    entry = contract.entries.get(node.entry.text)
    if entry is None:
        ec.ctx.error("E0206", f"{contract.name} has no entry '{node.entry.text}'", node.entry.span,
                     hint=ec.ctx.did_you_mean(node.entry.text, contract.entries))
        for arg in node.args:
            ec.check(arg.value, env)
        return ERROR
    order = check_arguments(ec, node, node.args, entry.params, env, f"entry {entry.name}")
    ec.ctx.note_ref(node, "entry", entry.name, (contract.name, order))
    return entry.returns


def _code_call_target(ec, node, env):
    if env.mode not in ("entry", "init"):
        ec.ctx.error("E0403", f"`call` changes state and is not allowed in {_mode(env)}", node.span)
    if node.target is None:
        ec.ctx.error("E0406", f"a contract cannot call its own entry '{node.entry.text}'", node.span,
                     hint="move the shared code into a `fn`")
        return None
    t = ec.check(node.target, env)
    if isinstance(t, ContractT):
        return ec.contracts.get(t.name)
    if not isinstance(t, ErrorT):
        ec.ctx.error("E0301", f"`call` needs a contract, and this is {t}", node.target.span,
                     hint="declare it as a param of a contract type: `param token: Token`")
    return None


def _mode(env) -> str:
    return {"fn": "a fn", "invariant": "an invariant", "default": "a default value"}.get(env.mode, env.mode)
