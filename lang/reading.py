"""Reading a source file safely: every way it can fail becomes one diagnostic."""

from __future__ import annotations

import os

from .diagnostics import Diagnostic
from .errors import CompileError

__all__ = ["read_source", "MAX_SOURCE_BYTES"]

MAX_SOURCE_BYTES = 16 * 1024 * 1024


def read_source(path: str) -> str:
    """The text of `path`, or CompileError with a single diagnostic saying why not."""
    try:
        if os.path.isdir(path):
            raise CompileError([Diagnostic("E0001", f"{path}: is a directory, not a .sc file")])
        size = os.path.getsize(path)
        if size > MAX_SOURCE_BYTES:
            raise CompileError([Diagnostic("E0001", f"{path}: file too large ({size} bytes; the limit is {MAX_SOURCE_BYTES})")])
        with open(path, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise CompileError([Diagnostic("E0001", f"{path}: no such file")]) from None
    except PermissionError:
        raise CompileError([Diagnostic("E0001", f"{path}: permission denied")]) from None
    except OSError as error:
        raise CompileError([Diagnostic("E0001", f"{path}: cannot be read ({error.strerror or error})")]) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CompileError([Diagnostic("E0002", f"{path}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} on line {line})")]) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CompileError([Diagnostic("E0002", f"{path}: binary data (a NUL byte on line {line}), not a .sc text")])
    return text.removeprefix("\ufeff")
