"""`tabellion.testing`: the public name of `tabellion.runtime.testing`.

Hypothesis strategies for Tabellion values and calls, generated contract state
machines, `property` blocks, and contract handles for pytest; see that package
and docs/testing.md. Names resolve lazily to the very same objects, so
`tabellion.testing.money is tabellion.runtime.testing.money`.
"""

from __future__ import annotations

from tabellion.runtime import testing as _testing

__all__ = list(_testing.__all__)


def __getattr__(name: str):
    if name in __all__:
        value = getattr(_testing, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
