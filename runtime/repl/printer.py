"""What the REPL prints: step outcomes, receipts, diagnostics, values and tables.

One `Printer` writes to one stream, in colour only when asked. Spans are moved into
the text the user wrote (`SessionSource.locate`) before they are shown, so a
diagnostic or a failed `require` points into the loaded file or the typed input.
"""

from __future__ import annotations

from tabellion.lang.diagnostics import Diagnostic, render
from tabellion.lang.errors import InternalError
from tabellion.lang.types import VOID

from ..values import format_value

__all__ = ["Printer", "entry_signature", "show"]

_GREEN, _RED, _DIM, _RESET = "\x1b[32m", "\x1b[1;31m", "\x1b[2m", "\x1b[0m"


def show(value) -> str:
    """A run-time value as Tabellion text (never raising: storage may hold engine values)."""
    try:
        return format_value(value)
    except InternalError:  # not a Tabellion value: e.g. a waterfall's progress record
        return repr(value)


def entry_signature(entry) -> str:
    """`(source: Text) by cam pays any`: what completion shows beside an entry."""
    params = ", ".join(f"{name}: {type_}" for name, type_ in entry.params)
    who = "anyone" if entry.anyone else ", ".join(p.name for p in entry.principals)
    pays = {"none": "", "any": " pays any"}.get(entry.pays, " pays exactly")
    returns = f" -> {entry.returns}" if entry.returns != VOID else ""
    return f"({params}) by {who}{pays}{returns}"


class Printer:
    def __init__(self, out, color: bool = False):
        self.out = out
        self.color = color
        self.rename = None  # on a chain: text -> text with parties' addresses shown as their names

    def line(self, text: str = "") -> None:
        if self.rename is not None:
            text = self.rename(text)
        self.out.write(text + "\n")
        self.out.flush()

    def paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    def error(self, message: str) -> None:
        self.line(self.paint("error", _RED) + ": " + message)

    # -- diagnostics and places

    def diagnostics(self, diagnostics, source) -> None:
        from ..commands.check import _colorize

        for diagnostic in diagnostics:
            span, text = source.locate(diagnostic.span)
            moved = Diagnostic(diagnostic.code, diagnostic.message, span, diagnostic.hint, diagnostic.notes,
                               diagnostic.severity)
            rendered = render(text, moved)
            self.line(_colorize(rendered, moved) if self.color else rendered)

    def place(self, span, source, indent: str = "       ") -> None:
        """`at FILE:LINE:COL` and the source line with carets under the span."""
        span, text = source.locate(span)
        if span is None:
            return
        self.line(f"{indent}at {span}")
        if text is not None:
            excerpt = render(text, Diagnostic("", "", span)).split("\n")[1:]
            for row in excerpt:
                self.line(indent + row)

    # -- steps

    def step(self, result, source, binding: str | None = None) -> None:
        receipt = result.receipt
        mark = self.paint("ok  ", _GREEN) if result.ok else self.paint("FAIL", _RED)
        gas = f"   [gas {receipt.gas_used:_}]" if receipt is not None else ""
        self.line(f"{mark} {result.text}{gas}")
        indent = "       "
        if result.message and (not result.ok or receipt is not None and not receipt.ok):
            self.line(f"{indent}{result.message}")
            if receipt is not None and not receipt.ok:
                self.place(receipt.span, source)
        for row in result.detail:
            self.line(f"{indent}{row}")
        if receipt is not None and receipt.ok:
            self.receipt_effects(receipt, indent)
        if binding:
            self.line(f"{indent}{binding}")

    def receipt_effects(self, receipt, indent: str = "       ") -> None:
        for effect in receipt.effect_lines(show):
            self.line(f"{indent}{effect}")

    def trace(self, span, source, instance) -> None:
        located, text = source.locate(span)
        line = text.split("\n")[located.line - 1].strip() if text is not None else ""
        self.line(self.paint(f"       trace {instance.name} {located.file}:{located.line}: {line}", _DIM))

    # -- tables

    def table(self, rows, indent: str = "  ", header=None) -> None:
        """Columns; a column whose cells all look like amounts is right-aligned, and so is its header."""
        if not rows:
            return
        columns = range(len(rows[0]))
        numeric = [all(_amount_like(str(row[i])) or not str(row[i]) for row in rows) for i in columns]
        everything = [header, *rows] if header else rows
        widths = [max(len(str(row[i])) for row in everything) for i in columns]
        for row in everything:
            cells = [str(c).rjust(w) if n else str(c).ljust(w) for c, w, n in zip(row, widths, numeric)]
            self.line((indent + "  ".join(cells)).rstrip())


def _amount_like(cell: str) -> bool:
    return bool(cell) and (cell[0].isdigit() or cell[0] == "-") and any(ch.isdigit() for ch in cell)
