"""The checker: resolves names, types every expression, and checks permissions and purity.

`check(module, source)` returns a `CheckedModule` or raises `CompileError` carrying
every independent error found in the file.
"""

from __future__ import annotations

from ..checked import CheckedModule
from ..errors import CompileError

__all__ = ["check"]


def check(module, source: str = "", loader=None) -> CheckedModule:
    """Check a parsed module. `loader(name)` returns the CheckedModule of an import."""
    from .modules import ModuleChecker

    checker = ModuleChecker(module, source, loader)
    checked = checker.run()
    if checker.diagnostics:
        raise CompileError(sorted([*checker.diagnostics, *checker.ctx.warnings], key=_position))
    return checked


def _position(diagnostic):
    span = diagnostic.span
    return (span.line, span.column) if span else (0, 0)
