"""The `tabellion` command line: builds the argument parser and dispatches to a command.

Each subcommand lives in `tabellion.runtime.commands.<name>` (see that package for
the table and the protocol). Only the module of the command being run is imported,
so `tabellion check` starts without the engine, Hypothesis, prompt_toolkit or
Pygments.

Exit statuses: 0 success; 1 the user's input is wrong (diagnostics, a failed
scenario, any `TabellionError`); 2 a usage error; 3 a bug in Tabellion; 130
interrupted. No Python traceback reaches the user unless `TABELLION_DEBUG=1`.
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_ERROR", "EXIT_USAGE", "EXIT_BUG", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `tabellion ... | head`

_DESCRIPTION = "Tabellion: a typed contract language and a gas-metered engine for permissioned chains."


class _VersionAction(argparse.Action):
    """`--version`, looking the version up only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("tabellion")
        except PackageNotFoundError:
            number = "unknown (not installed)"
        parser._print_message(f"tabellion {number}\n", sys.stdout)
        parser.exit()


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; only the command named in `argv` gets its arguments (and is imported)."""
    from importlib import import_module

    from .commands import available

    commands = available()
    width = max((len(command.name) for command in commands), default=0) + 4
    listing = "\n".join(f"  {command.name.ljust(width)}{command.summary}" for command in commands)
    parser = argparse.ArgumentParser(
        prog="tabellion",
        description=_DESCRIPTION,
        epilog=f"commands:\n{listing}\n\n'tabellion COMMAND --help' describes each one.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    # The commands are listed in the epilog: argparse's own list wraps long names badly.
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", help="one of the commands below")
    subparsers.required = True
    chosen = _chosen_command(argv or [])
    for command in commands:
        subparser = subparsers.add_parser(command.name, description=command.summary)
        if command.name == chosen:
            module = import_module(command.qualified_module)
            module.add_arguments(subparser)
            subparser.set_defaults(handler=module.run)
    return parser


def _chosen_command(argv: list[str]) -> str | None:
    """The first word that is not an option: the command (no global option takes a value)."""
    for word in argv:
        if word == "--":
            return None
        if not word.startswith("-"):
            return word
    return None


def main(argv: list[str] | None = None) -> int:
    """Run `tabellion` with `argv` (default: the process's arguments); return the exit status."""
    _make_output_safe()
    args_list = sys.argv[1:] if argv is None else list(argv)
    try:
        parser = build_parser(args_list)
        args = parser.parse_args(args_list)
        status = args.handler(args)
        _flush()
        return EXIT_OK if status is None else int(status)
    except SystemExit as stop:  # argparse: --help, --version, usage errors
        return stop.code if isinstance(stop.code, int) else (EXIT_OK if stop.code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as error:  # noqa: BLE001 - the one place every failure is reported
        return _report(error)


def _report(error: BaseException) -> int:
    from tabellion.lang.errors import InternalError, TabellionError

    if isinstance(error, TabellionError) and not isinstance(error, InternalError):
        diagnostics = getattr(error, "diagnostics", None)
        if diagnostics:
            from tabellion.lang.diagnostics import render

            for diagnostic in diagnostics:
                _write_error(render(None, diagnostic))
        else:
            _write_error(f"error: {_one_line(error)}")
        return EXIT_ERROR
    if os.environ.get("TABELLION_DEBUG") == "1":
        import traceback

        traceback.print_exception(error, file=sys.stderr)
    detail = _one_line(error) or type(error).__name__
    if not isinstance(error, InternalError):
        detail = f"{type(error).__name__}: {detail}"
    _write_error(f"internal error: {detail} — this is a bug in Tabellion, please report it")
    if os.environ.get("TABELLION_DEBUG") != "1":
        _write_error("(set TABELLION_DEBUG=1 to see the traceback)")
    return EXIT_BUG


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())
    return text if len(text) <= 500 else text[:497] + "..."


def _write_error(text: str) -> None:
    try:
        print(text, file=sys.stderr)
    except (OSError, ValueError):
        pass


def _make_output_safe() -> None:
    """Never fail on printing a character the terminal's encoding cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _flush() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit-time flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
