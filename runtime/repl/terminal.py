"""Reading input: a prompt_toolkit prompt on a terminal, plain lines from a pipe or a file.

On a terminal: input coloured live by the Pygments lexer, history kept in a file
(`history_path`), input that goes on while a bracket is open, Tab completion, and a
bottom toolbar with the party, the block height, the clock and the chain. Ctrl-C
cancels the input being typed (or, while a call runs, the call); Ctrl-D on an empty
line leaves.

From a pipe: lines are read and gathered while a bracket is open, results are printed
plainly, and the exit status is 1 if any input failed.
"""

from __future__ import annotations

import os
from pathlib import Path

from .source import needs_more

__all__ = ["PROMPT", "history_path", "run_plain", "run_terminal"]

PROMPT = "tabellion> "


def history_path() -> Path:
    """`$TABELLION_HOME/history`, else `$XDG_DATA_HOME/tabellion/history` (~/.local/share)."""
    home = os.environ.get("TABELLION_HOME")
    if home:
        return Path(home) / "history"
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "tabellion" / "history"


def run_plain(session, stream) -> int:
    """Read inputs line by line from `stream` until it ends or `:quit`; 1 if any failed."""
    pending: list[str] = []
    for line in stream:
        pending.append(line.rstrip("\r\n"))
        text = "\n".join(pending)
        if needs_more(text) and not text.lstrip().startswith(":"):
            continue
        pending = []
        session.execute(text)
        if session.quit:
            break
    else:
        if pending:
            session.execute("\n".join(pending))
    return 1 if session.failures else 0


def run_terminal(session) -> int:
    """The interactive loop; returns 0 when the user leaves."""
    prompt = _prompt_session(session)
    while not session.quit:
        try:
            text = prompt.prompt()
            session.execute(text)
        except KeyboardInterrupt:  # Ctrl-C on the prompt, or between a call's end and the next prompt
            continue
        except EOFError:
            break
    return 0


def _prompt_session(session):
    from prompt_toolkit import PromptSession
    from prompt_toolkit.application.current import get_app
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.lexers import PygmentsLexer
    from tabellion.lang.lexer import TabellionLexer

    from .completion import SessionCompleter

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(exist_ok=True)
        history = FileHistory(str(path))
    except OSError as error:
        session.printer.line(f"warning: history not kept ({path}: {error.strerror or error})")
        history = InMemoryHistory()

    def continues() -> bool:
        text = get_app().current_buffer.text
        return not text.lstrip().startswith(":") and needs_more(text)

    def toolbar() -> str:
        party = session.party or "default"
        where = (f"chain {session.chain.config.chain_id} ({session.chain_dir})" if session.on_chain
                 else "chain dev")
        return f" as {party} | block {session.ledger.height} | {session.ledger.now} | {where} | :help "

    def continuation(width, line_number, is_soft_wrap) -> str:
        return "." * (width - 1) + " "

    return PromptSession(
        PROMPT,
        lexer=PygmentsLexer(TabellionLexer),
        history=history,
        completer=SessionCompleter(session),
        complete_while_typing=False,
        multiline=Condition(continues),
        prompt_continuation=continuation,
        bottom_toolbar=toolbar,
        enable_history_search=False,
    )
