"""Reading a source file safely: every way it can fail becomes one diagnostic.

A path that is missing, a directory, unreadable, too large, not UTF-8 or binary
gives a `CompileError` with a single E0001 or E0002 diagnostic naming the path. Reads
are bounded, so a device such as /dev/zero is refused rather than read forever.
"""

from __future__ import annotations

import os

from .diagnostics import Diagnostic
from .errors import CompileError

__all__ = ["read_source", "decode_source", "MAX_SOURCE_BYTES"]

MAX_SOURCE_BYTES = 16 * 1024 * 1024


def read_source(path: str) -> str:
    """The text of `path`, or CompileError with a single diagnostic saying why not."""
    try:
        if os.path.isdir(path):
            raise CompileError([Diagnostic("E0001", f"{path}: is a directory, not a .sc file")])
        size = os.path.getsize(path)
        if size > MAX_SOURCE_BYTES:
            raise CompileError([_too_large(path, size)])
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)  # bounded: a device may never end
    except FileNotFoundError:
        raise CompileError([Diagnostic("E0001", f"{path}: no such file")]) from None
    except PermissionError:
        raise CompileError([Diagnostic("E0001", f"{path}: permission denied")]) from None
    except OSError as error:
        raise CompileError([Diagnostic("E0001", f"{path}: cannot be read ({error.strerror or error})")]) from None
    except ValueError as error:  # an embedded NUL in the path, for one
        raise CompileError([Diagnostic("E0001", f"{path!r}: not a usable path ({error})")]) from None
    return decode_source(data, path)


def decode_source(data: bytes, path: str = "<input>") -> str:
    """Bytes read from `path` (or standard input) as source text, or CompileError."""
    if len(data) > MAX_SOURCE_BYTES:
        raise CompileError([_too_large(path, len(data), at_least=True)])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CompileError([Diagnostic("E0002", f"{path}: not UTF-8 text (invalid byte 0x{data[error.start]:02x} on line {line})")]) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CompileError([Diagnostic("E0002", f"{path}: binary data (a NUL byte on line {line}), not a .sc text")])
    return text.removeprefix("\ufeff")


def _too_large(path: str, size: int, at_least: bool = False) -> Diagnostic:
    amount = f"more than {MAX_SOURCE_BYTES}" if at_least else f"{size}"
    return Diagnostic("E0001", f"{path}: file too large ({amount} bytes; the limit is {MAX_SOURCE_BYTES})")
