"""`tabellion repl [FILE...] [--as PARTY]`: explore contracts interactively.

On a terminal the prompt is prompt_toolkit's (highlighting, history, completion);
with standard input from a pipe or a file, inputs are read line by line and the exit
status is 1 if any of them failed. See docs/repl.md.
"""

from __future__ import annotations

import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help=".sc files whose contracts to load")
    parser.add_argument("--chain", metavar="DIR", help="work on a persistent chain (not available yet)")
    parser.add_argument("--as", dest="party", metavar="PARTY",
                        help="the party that calls and deploys when a step names no `by`")


def run(args) -> int:
    if args.chain:
        print("error: --chain is not available yet: the persistent chain is still being built; "
              "`tabellion repl` without --chain works on a development ledger", file=sys.stderr)
        return 2
    from ..repl import Session
    from ..repl.terminal import run_plain, run_terminal
    from .check import use_color

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    session = Session(sys.stdout, color=interactive and use_color("auto", sys.stdout))
    if args.party is not None and not session.execute(f":as {args.party}"):
        return 2
    for path in args.files:
        if not session.execute(f":load {path}") and not interactive:
            return 1
    if interactive:
        return run_terminal(session)
    return run_plain(session, sys.stdin)
