"""Tests for reading source files: every failure is one E0001/E0002 diagnostic naming the path."""

import os
import sys

import pytest

from tabellion.lang import reading
from tabellion.lang.errors import CompileError
from tabellion.lang.reading import MAX_SOURCE_BYTES, decode_source, read_source


def failure(path) -> tuple[str, str]:
    with pytest.raises(CompileError) as raised:
        read_source(str(path))
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.span is None
    return diagnostic.code, diagnostic.message


def test_reads_utf8_text(tmp_path):
    path = tmp_path / "a.sc"
    path.write_text("contract Caf\u00e9 { }  // \u20ac\n", encoding="utf-8")
    assert read_source(str(path)) == "contract Caf\u00e9 { }  // \u20ac\n"


def test_empty_file_is_empty_text(tmp_path):
    path = tmp_path / "empty.sc"
    path.write_bytes(b"")
    assert read_source(str(path)) == ""


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.sc"
    path.write_bytes(b"\xef\xbb\xbfcontract A { }")
    assert read_source(str(path)) == "contract A { }"


def test_line_endings_are_kept(tmp_path):
    path = tmp_path / "crlf.sc"
    path.write_bytes(b"contract A {\r\n}\r\n")
    assert read_source(str(path)) == "contract A {\r\n}\r\n"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.sc"
    assert failure(path) == ("E0001", f"{path}: no such file")


def test_directory(tmp_path):
    assert failure(tmp_path) == ("E0001", f"{tmp_path}: is a directory, not a .sc file")


def test_missing_parent_directory(tmp_path):
    path = tmp_path / "no" / "such" / "dir.sc"
    assert failure(path) == ("E0001", f"{path}: no such file")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.sc"
    path.write_text("contract A { }")
    path.chmod(0)
    try:
        assert failure(path) == ("E0001", f"{path}: permission denied")
    finally:
        path.chmod(0o644)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.sc"
    path.write_bytes("contract A { }\n// caf\u00e9\n".encode("latin-1"))
    assert failure(path) == ("E0002", f"{path}: not UTF-8 text (invalid byte 0xe9 on line 2)")


def test_binary_with_a_nul_byte(tmp_path):
    path = tmp_path / "binary.sc"
    path.write_bytes(b"contract A {\n\x00\x01\x02 }")
    assert failure(path) == ("E0002", f"{path}: binary data (a NUL byte on line 2), not a .sc text")


def test_random_binary(tmp_path):
    path = tmp_path / "random.sc"
    path.write_bytes(bytes(range(256)) * 8)
    code, _ = failure(path)
    assert code == "E0002"


def test_too_large(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_SOURCE_BYTES", 100)
    path = tmp_path / "big.sc"
    path.write_bytes(b"x" * 101)
    assert failure(path) == ("E0001", f"{path}: file too large (101 bytes; the limit is 100)")


def test_exactly_at_the_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_SOURCE_BYTES", 100)
    path = tmp_path / "edge.sc"
    path.write_bytes(b"x" * 100)
    assert read_source(str(path)) == "x" * 100


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_that_never_ends_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_SOURCE_BYTES", 1000)
    assert failure("/dev/zero") == ("E0001", "/dev/zero: file too large (more than 1000 bytes; the limit is 1000)")


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_dev_null_is_empty():
    assert read_source("/dev/null") == ""


def test_a_path_with_a_nul_character():
    code, message = failure("bad\x00name.sc")
    assert code == "E0001"
    assert "not a usable path" in message


def test_decode_source_names_the_given_path():
    with pytest.raises(CompileError) as raised:
        decode_source(b"\xff", "<stdin>")
    assert raised.value.diagnostics[0].message == "<stdin>: not UTF-8 text (invalid byte 0xff on line 1)"
    assert decode_source("\ufeffok".encode(), "<stdin>") == "ok"


def test_decode_source_refuses_too_much(monkeypatch):
    monkeypatch.setattr(reading, "MAX_SOURCE_BYTES", 10)
    with pytest.raises(CompileError) as raised:
        decode_source(b"x" * 11, "<stdin>")
    assert raised.value.diagnostics[0].code == "E0001"


def test_compile_error_message_is_the_first_diagnostic(tmp_path):
    with pytest.raises(CompileError) as raised:
        read_source(str(tmp_path / "x.sc"))
    assert str(raised.value) == f"{tmp_path / 'x.sc'}: no such file"
