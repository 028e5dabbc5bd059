"""The `tabellion` subcommands: one module per command, loaded only when it runs.

Each module `tabellion.runtime.commands.<module>` exposes

    add_arguments(parser: argparse.ArgumentParser) -> None
    run(args: argparse.Namespace) -> int        # the exit status

and keeps its own top-level imports light: the CLI imports the module of the command
being run (and, for `--help`, of that command only), never the others, so that
`tabellion check` starts without loading the engine, Hypothesis or prompt_toolkit.

To add a command, write its module and list it in COMMANDS below. A command listed
whose module does not exist yet is left out of the parser, so the table can name
commands before they are written.
"""

from __future__ import annotations

__all__ = ["Command", "COMMANDS", "available"]


class Command:
    """A subcommand: its name on the command line, its module, a one-line summary."""

    __slots__ = ("name", "module", "summary")

    def __init__(self, name: str, module: str, summary: str):
        self.name = name
        self.module = module
        self.summary = summary

    @property
    def qualified_module(self) -> str:
        return f"{__name__}.{self.module}"


COMMANDS: tuple[Command, ...] = (
    Command("check", "check", "report errors in .sc files"),
    # ---- registered here by their owners; each appears once its module exists ----
    Command("run", "run", "play the scenarios of a .sc file"),
    Command("test", "test", "run scenarios and property tests"),
    Command("repl", "repl", "explore a contract interactively"),
    Command("chain", "chain", "create, inspect, govern and verify a persistent chain"),
    Command("keys", "keys", "create and list identities"),
    Command("deploy", "deploy", "deploy a contract on a chain"),
    Command("call", "call", "call an entry of a deployed contract"),
    Command("query", "query", "read a deployed contract's state"),
    Command("gas-schedule", "gas_schedule", "print the gas schedule"),
)


def available() -> tuple[Command, ...]:
    """The commands whose module exists (found without importing it)."""
    from importlib.util import find_spec

    found = []
    for command in COMMANDS:
        try:
            if find_spec(command.qualified_module) is not None:
                found.append(command)
        except (ImportError, ValueError):
            continue
    return tuple(found)
