"""Finding the source span of a failure from the traceback of generated code.

Generated code carries the Tabellion positions of the nodes it came from, so the
position table of the innermost generated frame names the exact expression.
"""

from __future__ import annotations

from tabellion.lang.diagnostics import Span

__all__ = ["span_of_exception", "register_code_file"]

_files: dict[str, str] = {}


def register_code_file(filename: str, source_path: str) -> None:
    _files[filename] = source_path


def span_of_exception(error: BaseException) -> Span | None:
    """The span of the innermost frame of generated code in `error`'s traceback."""
    found = None
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        path = _files.get(code.co_filename)
        if path is not None:
            found = (path, code, tb.tb_lasti)
        tb = tb.tb_next
    if found is None:
        return None
    path, code, lasti = found
    positions = list(code.co_positions())
    index = lasti // 2
    if not 0 <= index < len(positions):
        return None
    line, end_line, column, end_column = positions[index]
    if line is None:
        return None
    return Span(path, line, (column or 0) + 1, end_line or line, (end_column or column or 0) + 1)
