"""Tab completion at the prompt: keywords, contracts, entries, parties, state, commands.

After `w.` it offers the entries (their parameters as meta) and state fields of the
contract `w` names; after `:load ` and `:save ` file names; after `:as ` parties;
elsewhere every name the session knows. Candidates come from the live session, so a
contract typed a moment ago completes at once.
"""

from __future__ import annotations

import re

from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document
from tabellion.lang.lexer import (
    BUILTINS,
    DECLARATION_KEYWORDS,
    STATEMENT_KEYWORDS,
    TYPES,
    WORD_OPERATORS,
)

from .commands import COMMANDS
from .printer import entry_signature

__all__ = ["SessionCompleter"]

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MEMBER = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)?\Z")
_KEYWORDS = sorted({*DECLARATION_KEYWORDS, *STATEMENT_KEYWORDS, *WORD_OPERATORS, "import", "true", "false"})


class SessionCompleter(Completer):
    def __init__(self, session):
        self.session = session
        self.paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event):
        before = document.text_before_cursor
        line = before.split("\n")[-1]
        if line.lstrip().startswith(":"):
            yield from self._command(line.lstrip(), complete_event)
            return
        member = _MEMBER.search(line)
        if member:
            yield from self._members(member.group(1), member.group(2) or "")
            return
        word = _WORD.search(line)
        prefix = word.group() if word else ""
        if not prefix and not complete_event.completion_requested:
            return
        yield from self._names(prefix)

    def _command(self, line: str, complete_event):
        word, space, argument = line[1:].partition(" ")
        if not space:
            for command in COMMANDS:
                if command.name.startswith(word):
                    yield Completion(command.name, -len(word), display_meta=command.summary)
            return
        if word in ("load", "save"):
            yield from self.paths.get_completions(Document(argument, len(argument)), complete_event)
        elif word == "as":
            yield from _matching(argument, ((p, "party") for p in self.session.parties()))
        elif word == "state":
            candidates = [(n, info.name) for n, info in self.session.instances().items()]
            candidates += [(str(a), i.name) for a, i in self.session.ledger.state.instances.items()]
            yield from _matching(argument, candidates)
        elif word == "trace":
            yield from _matching(argument, (("on", ""), ("off", "")))
        elif word == "help":
            yield from _matching(argument, ((c.name, c.summary) for c in COMMANDS))

    def _members(self, owner: str, prefix: str):
        info = self.session.instances().get(owner)
        if info is None:
            return
        yield from _matching(prefix, _contract_members(info))

    def _names(self, prefix: str):
        session = self.session
        candidates = []
        current = session.current_contract()
        if current is not None:
            candidates.extend(_contract_members(current))
        candidates.extend((name, f"{info.name} instance") for name, info in session.instances().items())
        candidates.extend((name, "let") for name in session.local_names())
        candidates.extend((name, "contract") for name in session.contracts())
        candidates.extend((name, "party") for name in session.parties())
        candidates.extend((name, "built-in") for name in BUILTINS)
        candidates.extend((name, "keyword") for name in _KEYWORDS)
        candidates.extend((name, "type") for name in TYPES)
        yield from _matching(prefix, candidates)


def _contract_members(info):
    for entry in info.entries.values():
        yield entry.name, entry_signature(entry)
    for field in info.state.values():
        yield field.name, f"state: {field.type}"


def _matching(prefix: str, candidates):
    seen = set()
    for name, meta in candidates:
        if name.startswith(prefix) and name not in seen:
            seen.add(name)
            yield Completion(name, -len(prefix), display_meta=meta)
