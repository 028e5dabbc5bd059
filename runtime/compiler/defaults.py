"""The value a state field starts with when its declaration gives none."""

from __future__ import annotations

import ast as py

from tabellion.lang.types import (
    BoolT, DurationT, EnumT, IntT, ListT, MapT, MoneyT, RateT, TextT, Type,
)

from ..numeric import Money, Rate
from ..temporal import Duration
from ..values import EnumValue
from .expressions import attr, call, const

__all__ = ["default_value"]


def default_value(unit, t: Type) -> py.expr | None:
    """Zero for numbers, false, empty text and collections, the first enum member;
    None for types with no natural zero (Party, Date, Time, records, contracts)."""
    if isinstance(t, IntT):
        return const(0)
    if isinstance(t, BoolT):
        return const(False)
    if isinstance(t, TextT):
        return const("")
    if isinstance(t, RateT):
        return unit.constant(Rate.of(0))
    if isinstance(t, DurationT):
        return unit.constant(Duration(0))
    if isinstance(t, MoneyT):
        if t.currency:
            return unit.constant(Money(0, t.currency))
        return call(attr("_x", "zero_money"))
    if isinstance(t, ListT):
        return py.List([], py.Load())
    if isinstance(t, MapT):
        return py.Dict([], [])
    if isinstance(t, EnumT) and t.members:
        return unit.constant(EnumValue(t.name, t.members[0], 0))
    return None
