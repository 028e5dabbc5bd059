"""`tabellion repl [FILE...] [--chain DIR] [--as PARTY]`: explore contracts interactively.

On a terminal the prompt is prompt_toolkit's (highlighting, history, completion);
with standard input from a pipe or a file, inputs are read line by line and the exit
status is 1 if any of them failed. With `--chain DIR` the steps are signed
transactions in the blocks of a persistent chain (`runtime/repl/chain.py`).
See docs/repl.md.
"""

from __future__ import annotations

import sys

__all__ = ["add_arguments", "run"]


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help=".sc files whose contracts to load")
    parser.add_argument("--chain", metavar="DIR",
                        help="work on a persistent chain: each step is a signed transaction in a block")
    parser.add_argument("--as", dest="party", metavar="PARTY",
                        help="the party that calls and deploys when a step names no `by` "
                             "(with --chain: a key of the keystore, or on a dev chain a development name)")
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help="with --chain: the passphrase of encrypted keys the session signs with")


def run(args) -> int:
    if not args.chain:
        return _session(args, None)
    from ..chain.node import Chain
    from ..errors import TabellionError

    try:
        chain = Chain.open(args.chain)
    except TabellionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        return _session(args, chain)
    finally:
        chain.close()


def _session(args, chain) -> int:
    from ..errors import TabellionError
    from ..repl import Session
    from ..repl.terminal import run_plain, run_terminal
    from .check import use_color

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    try:
        session = Session(sys.stdout, color=interactive and use_color("auto", sys.stdout), chain=chain,
                          passphrase_file=args.passphrase_file)
    except TabellionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        if args.party is not None and not session.execute(f":as {args.party}"):
            return 2
        for path in args.files:
            if not session.execute(f":load {path}") and not interactive:
                return 1
        if interactive:
            return run_terminal(session)
        return run_plain(session, sys.stdin)
    finally:
        if session.chain is not None and session.chain is not chain:  # reopened after an interrupted block
            session.chain.close()
