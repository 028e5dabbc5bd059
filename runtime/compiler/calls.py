"""Generating calls: fns, record construction, built-in functions, collection methods."""

from __future__ import annotations

import ast as py

from tabellion.lang import ast
from tabellion.lang.types import IntT, MoneyT, RateT, DurationT

from .. import gas
from ..numeric import Money, Rate
from ..temporal import Duration
from .expressions import attr, call, const, name

__all__ = ["compile_call"]

_TEMPORAL = {"date": "_time_to_date", "time": "_date_to_time", "days": "_duration_days",
             "hours": "_duration_hours", "minutes": "_duration_minutes"}


def compile_call(ec, node: ast.Call) -> py.expr:
    ref = ec.ref_of(node)
    if ref.kind == "fn":
        ec.cost += gas.CALL_FN
        return call("f_" + ref.name, name("_x"), *ec.ordered_args(node.args, ref.detail))
    if ref.kind == "record":
        record = ec.type_of(node)
        ec.cost += gas.CONSTRUCT * len(record.fields)
        return call(ec.unit.record_class(record), *ec.ordered_args(node.args, ref.detail))
    if ref.kind == "method":
        return _method(ec, node, ref.name)
    return _builtin(ec, node, ref.name)


def _builtin(ec, node, builtin: str) -> py.expr:
    args = node.args
    ec.cost += gas.BUILTIN_CALL
    if builtin == "len":
        return call("len", ec.expr(args[0].value))
    if builtin == "sum":
        return call("_total", name("_g"), ec.expr(args[0].value), _zero(ec, ec.type_of(node)))
    if builtin in ("min", "max"):
        return call(builtin, ec.expr(args[0].value), ec.expr(args[1].value))
    if builtin == "abs":
        return call("_abs", ec.expr(args[0].value))
    if builtin == "range":
        return call("_materialize_range", name("_g"), *[ec.expr(a.value) for a in args])
    if builtin in _TEMPORAL:
        return call(_TEMPORAL[builtin], ec.expr(args[0].value))
    if builtin == "text":
        return call("_text", name("_g"), ec.expr(args[0].value))
    if builtin == "ratio":
        return call("_ratio", ec.expr(args[0].value), ec.expr(args[1].value))
    if builtin == "balance":
        currency = ec.type_of(node).currency
        if ec.mode == "scenario":
            return call(attr("_x", "balance_of"), ec.expr(args[0].value), const(currency))
        ec.cost += gas.BALANCE_READ
        return call(attr("_x", "balance"), const(currency))
    raise AssertionError(f"unknown builtin {builtin}")


def _zero(ec, t) -> py.expr:
    if isinstance(t, IntT):
        return const(0)
    if isinstance(t, MoneyT):
        if t.currency:
            return ec.unit.constant(Money(0, t.currency))
        return call(attr("_x", "zero_money"))
    if isinstance(t, RateT):
        return ec.unit.constant(Rate.of(0))
    if isinstance(t, DurationT):
        return ec.unit.constant(Duration(0))
    return const(0)


def _method(ec, node, method: str) -> py.expr:
    func = node.func
    obj = ec.expr(func.obj)
    args = [ec.binding(a.value) for a in node.args]
    in_state = ec.root_kind(func.obj) == "state"
    if method == "map.get":
        ec.cost += gas.STORAGE_READ if in_state else gas.MAP_READ
        return call(attr(obj, "get"), *args)
    if method == "map.keys":
        return call("_iterate_keys", name("_g"), obj)
    if method == "map.values":
        return call("_map_values", name("_g"), obj)
    if method == "list.contains":
        return call("_contains", name("_g"), args[0], obj)
    if in_state:
        ec.cost += gas.STORAGE_WRITE
        helper = {"map.remove": "_jremove", "list.append": "_jappend", "list.insert": "_jinsert",
                  "list.pop": "_jpop"}[method]
        return call(helper, name("_J"), name("_g"), obj, *args)
    helper = {"map.remove": "_local_remove", "list.append": "_local_append", "list.insert": "_local_insert",
              "list.pop": "_local_pop"}[method]
    return call(helper, name("_g"), obj, *args)
