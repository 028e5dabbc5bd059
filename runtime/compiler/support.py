"""Helpers that generated contract code calls: the parts of the semantics that are not
a single Python operator (checked division, journaled writes, copies, iteration).

Generated code reaches these through its module globals under the names in
`GLOBALS`. Each helper that does work proportional to its data charges gas for it
before doing it, through `gas.charge`.
"""

from __future__ import annotations

from fractions import Fraction

from .. import gas
from ..errors import (
    ArithmeticOverflow, DepthExceeded, DivisionByZero, InvalidArgument, MissingKey, Revert,
    RequireFailed,
)
from ..numeric import INT_MAX, INT_MIN, Money, Rate, int_div, int_mod
from ..temporal import date_to_time, duration_days, duration_hours, duration_minutes, time_to_date
from ..values import format_value, sorted_items
from ..waterfall import Fee, PariPassu, Recoup, Split

__all__ = ["GLOBALS", "MISSING", "APPENDED", "INSERTED", "POPPED", "size_of", "deep_copy"]


class _Marker:
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


MISSING = _Marker("MISSING")      # journal: the key did not exist before the write
APPENDED = _Marker("APPENDED")    # journal: an element was appended to a list
INSERTED = _Marker("INSERTED")    # journal: an element was inserted at an index
POPPED = _Marker("POPPED")        # journal: the last element was removed


def overflow():
    raise ArithmeticOverflow("arithmetic overflow: the result is outside the 256-bit Int range")


def check_int(value):
    if INT_MIN <= value <= INT_MAX:
        return value
    overflow()


def require_failed(message):
    raise RequireFailed(message if message is not None else "requirement failed")


def depth_exceeded():
    raise DepthExceeded(f"call depth exceeded ({gas.MAX_CALL_DEPTH} nested calls)")


def list_get(items, index):
    if 0 <= index < len(items):
        return items[index]
    raise MissingKey(f"list index {index} is out of range (the list has {len(items)} items)")


def map_get(mapping, key):
    try:
        return mapping[key]
    except KeyError:
        raise MissingKey(f"no entry for key {key}") from None


def size_of(value) -> int:
    """The canonical size in bytes of a value, used to price storage writes and events."""
    kind = type(value)
    if kind is int:
        return (value.bit_length() + 8) // 8 + 1
    if kind is bool or value is None:
        return 1
    if kind is str:
        return len(value.encode("utf-8")) + 2
    if kind is Money:
        return (value.units.bit_length() + 8) // 8 + 4
    if kind is dict:
        return 2 + sum(size_of(k) + size_of(v) for k, v in value.items())
    if kind is list or isinstance(value, tuple):
        return 2 + sum(size_of(v) for v in value)
    if kind is Rate:
        return 2 + (value.value.numerator.bit_length() + value.value.denominator.bit_length()) // 8 + 2
    return 8 + len(str(value)) // 4


def deep_copy(meter, value):
    """A copy of a collection value (records are immutable but may hold collections)."""
    kind = type(value)
    if kind is dict:
        gas.charge(meter, gas.ELEMENT * len(value))
        return {k: deep_copy(meter, v) for k, v in value.items()}
    if kind is list:
        gas.charge(meter, gas.ELEMENT * len(value))
        return [deep_copy(meter, v) for v in value]
    if isinstance(value, tuple) and hasattr(value, "__record_fields__"):
        if any(type(v) in (dict, list) or isinstance(v, tuple) for v in value):
            return tuple.__new__(type(value), [deep_copy(meter, v) for v in value])
    return value


def journaled_set(journal, meter, container, key, value, static_cost=None):
    """Write `container[key] = value` in state, recording the old value for rollback."""
    gas.charge(meter, static_cost if static_cost is not None else gas.STORAGE_BYTE * size_of(value))
    if type(container) is list:
        if not 0 <= key < len(container):
            raise MissingKey(f"list index {key} is out of range (the list has {len(container)} items)")
        journal((container, key, container[key]))
    else:
        journal((container, key, container.get(key, MISSING)))
    container[key] = value


def journaled_remove(journal, meter, container, key):
    gas.charge(meter, gas.STORAGE_WRITE)
    if key in container:  # removing a key that is not there does nothing
        journal((container, key, container[key]))
        del container[key]


def journaled_append(journal, meter, items, value):
    gas.charge(meter, gas.ELEMENT + gas.STORAGE_BYTE * size_of(value))
    journal((items, APPENDED, None))
    items.append(value)


def journaled_insert(journal, meter, items, index, value):
    gas.charge(meter, gas.ELEMENT * (len(items) - index + 1) + gas.STORAGE_BYTE * size_of(value))
    if not 0 <= index <= len(items):
        raise MissingKey(f"cannot insert at {index}: the list has {len(items)} items")
    journal((items, INSERTED, index))
    items.insert(index, value)


def journaled_pop(journal, meter, items):
    gas.charge(meter, gas.STORAGE_WRITE)
    if not items:
        raise MissingKey("cannot pop from an empty list")
    value = items.pop()
    journal((items, POPPED, value))
    return value


def rollback(journal: list, savepoint: int) -> None:
    """Undo journal entries back to `savepoint`, newest first."""
    while len(journal) > savepoint:
        container, key, old = journal.pop()
        if key is APPENDED:
            container.pop()
        elif key is INSERTED:
            del container[old]
        elif key is POPPED:
            container.append(old)
        elif old is MISSING:
            del container[key]
        else:
            container[key] = old


def list_set(items, index, value):
    if not 0 <= index < len(items):
        raise MissingKey(f"list index {index} is out of range (the list has {len(items)} items)")
    items[index] = value


def absolute(value):
    if type(value) is int:
        return check_int(abs(value))
    return -value if value < value - value else value


def local_append(meter, items, value):
    gas.charge(meter, gas.ELEMENT)
    items.append(value)


def local_insert(meter, items, index, value):
    gas.charge(meter, gas.ELEMENT * (len(items) - index + 1))
    if not 0 <= index <= len(items):
        raise MissingKey(f"cannot insert at {index}: the list has {len(items)} items")
    items.insert(index, value)


def local_pop(meter, items):
    if not items:
        raise MissingKey("cannot pop from an empty list")
    return items.pop()


def local_remove(meter, mapping, key):
    mapping.pop(key, None)


def iterate_map(meter, mapping):
    """A snapshot of a map's (key, value) pairs in ascending key order."""
    gas.charge(meter, gas.ITERATION_SETUP * len(mapping))
    return sorted_items(mapping)


def iterate_keys(meter, mapping):
    gas.charge(meter, gas.ITERATION_SETUP * len(mapping))
    return [k for k, _ in sorted_items(mapping)]


def iterate_list(meter, items):
    gas.charge(meter, gas.ELEMENT * len(items) // 4)
    return tuple(items)


def map_values(meter, mapping):
    gas.charge(meter, gas.ITERATION_SETUP * len(mapping))
    return [v for _, v in sorted_items(mapping)]


def int_range(meter, low, high=None):
    if high is None:
        low, high = 0, low
    return range(low, high)


def range_batches(low, high=None, size=256):
    """`range(low, high)` cut into consecutive ranges of at most `size` numbers."""
    if high is None:
        low, high = 0, low
    for start in range(low, high, size):
        yield range(start, min(start + size, high))


def materialize_range(meter, low, high=None):
    if high is None:
        low, high = 0, low
    gas.charge(meter, gas.ELEMENT * max(0, high - low))
    return list(range(low, high))


def concat(meter, left, right):
    gas.charge(meter, gas.TEXT_BYTE * (len(left) + len(right)))
    return left + right


def contains(meter, item, collection):
    if type(collection) is list:
        gas.charge(meter, gas.ARITHMETIC * len(collection))
    elif type(collection) is str:
        gas.charge(meter, gas.TEXT_BYTE * len(collection))
    return item in collection


def total(meter, values, zero):
    items = list(values.values()) if type(values) is dict else values
    gas.charge(meter, gas.ARITHMETIC_EXACT * len(items))
    result = zero
    for value in items:
        result = result + value
    if type(result) is int:
        check_int(result)
    return result


def text(meter, value):
    result = value if type(value) is str else format_value(value)
    gas.charge(meter, gas.TEXT_BYTE * len(result))
    return result


def ratio(a, b):
    if type(a) is Money:
        return a / b
    if b == 0:
        raise DivisionByZero("division by zero in ratio")
    return Rate.of(Fraction(a, b))


GLOBALS = {
    "_overflow": overflow,
    "_check_int": check_int,
    "_int_div": int_div,
    "_int_mod": int_mod,
    "_require_failed": require_failed,
    "_depth_exceeded": depth_exceeded,
    "_list_get": list_get,
    "_map_get": map_get,
    "_deep_copy": deep_copy,
    "_jset": journaled_set,
    "_jremove": journaled_remove,
    "_jappend": journaled_append,
    "_jinsert": journaled_insert,
    "_jpop": journaled_pop,
    "_local_append": local_append,
    "_list_set": list_set,
    "_abs": absolute,
    "_time_to_date": time_to_date,
    "_date_to_time": date_to_time,
    "_duration_days": duration_days,
    "_duration_hours": duration_hours,
    "_duration_minutes": duration_minutes,
    "_Fee": Fee,
    "_Recoup": Recoup,
    "_PariPassu": PariPassu,
    "_Split": Split,
    "_local_insert": local_insert,
    "_local_pop": local_pop,
    "_local_remove": local_remove,
    "_iterate_map": iterate_map,
    "_iterate_keys": iterate_keys,
    "_iterate_list": iterate_list,
    "_map_values": map_values,
    "_int_range": int_range,
    "_materialize_range": materialize_range,
    "_range_batches": range_batches,
    "_concat": concat,
    "_contains": contains,
    "_total": total,
    "_ratio": ratio,
    "_text": text,
    "_out_of_gas": gas.out_of_gas,
    "_charge": gas.charge,
    "_MISSING": MISSING,
    "_size_of": size_of,
    "_Revert": Revert,
    "_InvalidArgument": InvalidArgument,
}
