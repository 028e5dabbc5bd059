"""Tabellion's run-time values: the one import point, plus parties, records and enums.

How each Tabellion type is represented while a contract runs:

    Int       int (see numeric: check_int, int_div, int_mod)
    Bool      bool
    Text      str
    Money     numeric.Money        Rate   numeric.Rate
    Date      temporal.Date        Time   temporal.Time       Duration  temporal.Duration
    Party     Party                enum   EnumValue           record    a make_record_type class
    Map[K, V] dict                 List[T] list

Every value except maps and lists is immutable and hashable; records are values too,
so the engine writes `policies[id].paid = true` as
`policies[id] = record_replace(policies[id], "paid", True)`.

Maps iterate in ascending key order: `sorted_items(m)` / `sorted_keys(m)`. Keys of
one type are totally ordered: Ints, Texts (by code point), Dates, Times, Durations,
Rates, Parties (by name), enum members (by declaration), Bools (false first), Money
(by currency code, then amount) and records (field by field).

`format_value(v)` renders any value as Tabellion source text; it is also each
value's `repr`. Text escapes what the front end's `parse_text` decodes: `\\`, `"`,
`\\n`, `\\t`, `\\r`, `\\0`, and other control characters as `\\u{1F}`. A record
prints `Policy(holder: alice, paid: false)`, an enum member `Status.Open`.
"""

import operator

import attrs

from tabellion.lang.errors import InternalError
from tabellion.runtime.numeric import *  # noqa: F403 -- re-exported: this is the import point
from tabellion.runtime.numeric import Money, Rate
from tabellion.runtime.numeric import __all__ as _numeric_all
from tabellion.runtime.temporal import *  # noqa: F403
from tabellion.runtime.temporal import Date, Duration, Time
from tabellion.runtime.temporal import __all__ as _temporal_all

__all__ = [
    *_numeric_all,
    *_temporal_all,
    "Party",
    "EnumValue",
    "make_enum_members",
    "Record",
    "make_record_type",
    "record_replace",
    "format_value",
    "format_text",
    "sort_key",
    "sorted_items",
    "sorted_keys",
]


@attrs.frozen(slots=True, order=False, repr=False)
class Party:
    """A participant in contracts, known by name; prints as the bare name."""

    name: str

    def __lt__(self, other):
        return self.name < other.name if type(other) is Party else NotImplemented

    def __le__(self, other):
        return self.name <= other.name if type(other) is Party else NotImplemented

    def __gt__(self, other):
        return self.name > other.name if type(other) is Party else NotImplemented

    def __ge__(self, other):
        return self.name >= other.name if type(other) is Party else NotImplemented

    def __str__(self):
        return self.name

    __repr__ = __str__


@attrs.frozen(slots=True, order=False, repr=False)
class EnumValue:
    """A member of an enum; members of one enum order by declaration (`index`)."""

    enum_name: str
    member: str
    index: int

    def __lt__(self, other):
        if type(other) is not EnumValue or other.enum_name != self.enum_name:
            return NotImplemented
        return self.index < other.index

    def __le__(self, other):
        if type(other) is not EnumValue or other.enum_name != self.enum_name:
            return NotImplemented
        return self.index <= other.index

    def __gt__(self, other):
        if type(other) is not EnumValue or other.enum_name != self.enum_name:
            return NotImplemented
        return self.index > other.index

    def __ge__(self, other):
        if type(other) is not EnumValue or other.enum_name != self.enum_name:
            return NotImplemented
        return self.index >= other.index

    def __str__(self):
        return f"{self.enum_name}.{self.member}"

    __repr__ = __str__


def make_enum_members(enum_name, member_names):
    """The members of an enum, as EnumValues in declaration order."""
    return tuple(EnumValue(enum_name, member, index) for index, member in enumerate(member_names))


class Record(tuple):
    """Base of record types: an immutable tuple of field values, equal only to its own type.

    Build classes with `make_record_type`; construct positionally in field order.
    """

    __slots__ = ()
    __record_name__ = "Record"
    __record_fields__ = ()
    __record_index__ = {}

    def __new__(cls, *values):
        if len(values) != len(cls.__record_fields__):
            expected = len(cls.__record_fields__)
            raise TypeError(f"{cls.__record_name__} takes {expected} fields, got {len(values)}")
        return tuple.__new__(cls, values)

    def __getnewargs__(self):
        return tuple(self)

    def replace(self, field, value):
        """A copy with `field` set to `value`.

        `record_replace(record, field, value)` is the same function, and still works
        when a field is itself called `replace`.
        """
        values = list(self)
        values[type(self).__record_index__[field]] = value
        return tuple.__new__(type(self), values)

    def __eq__(self, other):
        return type(other) is type(self) and tuple.__eq__(self, other)

    def __ne__(self, other):
        return not (type(other) is type(self) and tuple.__eq__(self, other))

    __hash__ = tuple.__hash__

    def __lt__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return tuple.__lt__(self, other)

    def __le__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return tuple.__le__(self, other)

    def __gt__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return tuple.__gt__(self, other)

    def __ge__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return tuple.__ge__(self, other)

    def __repr__(self):
        fields = ", ".join(
            f"{name}: {format_value(value)}" for name, value in zip(self.__record_fields__, self)
        )
        return f"{self.__record_name__}({fields})"

    __str__ = __repr__


record_replace = Record.replace


def make_record_type(name, field_names):
    """A new Record subclass called `name` whose fields are `field_names`, in order."""
    field_names = tuple(field_names)
    for field in field_names:
        if not field.isidentifier() or field.startswith("__"):
            raise ValueError(f"record {name}: {field!r} cannot be a field name")
    if len(set(field_names)) != len(field_names):
        raise ValueError(f"record {name}: a field name appears twice in {field_names}")
    namespace = {
        "__slots__": (),
        "__module__": __name__,
        "__qualname__": name,
        "__record_name__": name,
        "__record_fields__": field_names,
        "__record_index__": {field: index for index, field in enumerate(field_names)},
    }
    for index, field in enumerate(field_names):
        namespace[field] = property(operator.itemgetter(index), doc=f"The field {field}.")
    return type(name, (Record,), namespace)


_TEXT_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _escape(character):
    if character in _TEXT_ESCAPES:
        return _TEXT_ESCAPES[character]
    if character < " " or character == "\x7f":
        return f"\\u{{{ord(character):X}}}"
    return character


def format_text(text):
    """The Tabellion literal for the Text `text`, quoted and escaped."""
    return '"' + "".join(map(_escape, text)) + '"'


_PRINTS_ITSELF = frozenset({Money, Rate, Date, Time, Duration, Party, EnumValue})


def format_value(value):
    """Render any run-time value as Tabellion source text; maps in ascending key order."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if kind is str:
        return format_text(value)
    if kind in _PRINTS_ITSELF or isinstance(value, Record):
        return repr(value)
    if kind is dict:
        items = ", ".join(
            f"{format_value(key)}: {format_value(item)}" for key, item in sorted_items(value)
        )
        return "{" + items + "}"
    if kind is list:
        return "[" + ", ".join(map(format_value, value)) + "]"
    raise InternalError(f"format_value: a {kind.__name__} is not a Tabellion value")


# Key types whose own ordering is the Tabellion ordering (Money is ordered only
# within one currency, a record only by its fields' keys).
_ORDERED_AS_IS = frozenset({int, bool, str, Rate, Date, Time, Duration, Party, EnumValue})


def sort_key(value):
    """A key that orders values of one Tabellion type as Tabellion does, for any type."""
    kind = type(value)
    if kind in _ORDERED_AS_IS:
        return value
    if kind is Money:
        return (value.currency, value.units)
    if isinstance(value, Record):
        return tuple(map(sort_key, value))
    raise InternalError(f"sort_key: a {kind.__name__} cannot be a map key")


def _item_sort_key(item):
    return sort_key(item[0])


_first = operator.itemgetter(0)


def sorted_items(mapping):
    """The (key, value) pairs of `mapping` in ascending key order."""
    if not mapping:
        return []
    if type(next(iter(mapping))) in _ORDERED_AS_IS:
        return sorted(mapping.items(), key=_first)
    return sorted(mapping.items(), key=_item_sort_key)


def sorted_keys(mapping):
    """The keys of `mapping` in ascending order."""
    if not mapping:
        return []
    if type(next(iter(mapping))) in _ORDERED_AS_IS:
        return sorted(mapping)
    return sorted(mapping, key=sort_key)
