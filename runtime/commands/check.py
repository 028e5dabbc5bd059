"""`tabellion check FILE...`: parse and check .sc files, print every diagnostic.

Exit status 0 when no file has an error, 1 otherwise. Text output goes to stdout,
one rendered diagnostic after another, with a one-line summary on stderr; `--format
json` prints one JSON list of diagnostics instead. `-` reads standard input.
Imports stay light: the front end only, loaded when the command runs.
"""

from __future__ import annotations

import os
import sys

__all__ = ["add_arguments", "run", "check_file", "use_color"]

_RED_BOLD = "\x1b[1;31m"
_YELLOW_BOLD = "\x1b[1;33m"
_CYAN = "\x1b[36m"
_RESET = "\x1b[0m"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help=".sc files to check ('-' reads standard input)")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text for people (default), json for tools")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="color the text output (auto: when stdout is a terminal and NO_COLOR is unset)")


def run(args) -> int:
    color = args.format == "text" and use_color(args.color, sys.stdout)
    everything: list[dict] = []
    errors = warnings = failed_files = 0
    first = True
    for path in args.files:
        source, diagnostics = check_file(path)
        file_errors = sum(1 for d in diagnostics if d.severity == "error")
        errors += file_errors
        warnings += len(diagnostics) - file_errors
        failed_files += bool(file_errors)
        if args.format == "json":
            everything.extend(_as_dict(d, path) for d in diagnostics)
            continue
        for diagnostic in diagnostics:
            if not first:
                sys.stdout.write("\n")
            first = False
            sys.stdout.write(_render(source, path, diagnostic, color) + "\n")
        sys.stdout.flush()
    if args.format == "json":
        import json

        encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        # Escapes keep the JSON valid on a stream that cannot show every character.
        json.dump(everything, sys.stdout, indent=2, ensure_ascii=encoding != "utf8")
        sys.stdout.write("\n")
    else:
        print(_summary(errors, warnings, failed_files, len(args.files)), file=sys.stderr)
    return 1 if errors else 0


def check_file(path: str):
    """(source or None, diagnostics) for one path; '-' is standard input."""
    from tabellion.lang import compile_source
    from tabellion.lang.diagnostics import Diagnostic, Span
    from tabellion.lang.errors import CompileError
    from tabellion.lang.reading import decode_source, read_source

    display = "<stdin>" if path == "-" else path
    try:
        source = decode_source(sys.stdin.buffer.read(), display) if path == "-" else read_source(path)
    except CompileError as error:
        return None, error.diagnostics
    try:
        checked = compile_source(source, display)
    except CompileError as error:
        return source, error.diagnostics
    except RecursionError:  # a stage walked deeper than the parser's nesting limits allow
        return source, (Diagnostic("E0003", "input too deeply nested", Span.point(display, 1, 1),
                                   hint="split deeply nested expressions and blocks"),)
    return source, checked.warnings


def use_color(choice: str, stream) -> bool:
    """Whether to color: `always`, `never`, or `auto` (a terminal, NO_COLOR unset, TERM not dumb)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (OSError, ValueError):
        return False


def _render(source: str | None, path: str, diagnostic, color: bool) -> str:
    from tabellion.lang.diagnostics import render

    span = diagnostic.span
    display = "<stdin>" if path == "-" else path
    excerpt_source = source if span is not None and span.file == display else None
    text = render(excerpt_source, diagnostic)
    return _colorize(text, diagnostic) if color else text


def _colorize(text: str, diagnostic) -> str:
    lines = text.split("\n")
    label = f"{diagnostic.severity}[{diagnostic.code}]"
    paint = _RED_BOLD if diagnostic.severity == "error" else _YELLOW_BOLD
    lines[0] = lines[0].replace(label, f"{paint}{label}{_RESET}", 1)
    for number, line in enumerate(lines[1:], 1):
        if line.startswith("  = hint:"):
            lines[number] = f"{_CYAN}{line}{_RESET}"
    return "\n".join(lines)


def _as_dict(diagnostic, path: str) -> dict:
    entry = diagnostic.as_dict()
    if entry["file"] is None:  # a file that could not be read has no position, only a path
        entry["file"] = "<stdin>" if path == "-" else path
    return entry


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(errors: int, warnings: int, failed_files: int, total_files: int) -> str:
    if not errors:
        text = f"{_plural(total_files, 'file')} checked, no errors"
        return text + (f", {_plural(warnings, 'warning')}" if warnings else "")
    text = f"{_plural(errors, 'error')} in {_plural(failed_files, 'file')}"
    if warnings:
        text += f" and {_plural(warnings, 'warning')}"
    if total_files != failed_files:
        text += f" ({total_files} checked)"
    return text
