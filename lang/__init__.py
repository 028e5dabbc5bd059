"""Tabellion language front end: text in, checked program out.

`compile_source(source, path)` parses and checks a file, returning a `CheckedModule`
or raising `CompileError` with every diagnostic. `lang/` never imports `runtime/`.
"""

from __future__ import annotations

__all__ = ["parse", "check", "compile_source", "compile_file", "load_stdlib"]


def parse(source: str, path: str = "<input>"):
    from .parser import parse as _parse

    return _parse(source, path)


def check(module, source: str = "", loader=None):
    from .checker import check as _check

    return _check(module, source, loader or load_stdlib)


def compile_source(source: str, path: str = "<input>", loader=None):
    """Parse and check `source`; `import NAME` loads stdlib modules unless `loader` is given."""
    return check(parse(source, path), source, loader)


def compile_file(path: str):
    from .reading import read_source

    return compile_source(read_source(path), path)


_stdlib_cache: dict = {}


def load_stdlib(name: str):
    """The checked stdlib module `name` (`import insurance`), or None if there is none."""
    if name in _stdlib_cache:
        return _stdlib_cache[name]
    from importlib import resources

    try:
        resource = resources.files("tabellion.stdlib").joinpath(f"{name}.sc")
        source = resource.read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return None
    checked = compile_source(source, f"<stdlib>/{name}.sc")
    _stdlib_cache[name] = checked
    return checked
