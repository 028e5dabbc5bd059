"""`tabellion repl`: explore contracts live on a development ledger (or a chain), as different parties.

- `session`: the session (module, ledger, step log) and one input's journey;
- `source`: the session's text, spans back into what the user wrote, `:as` rewriting;
- `commands`: the `:` commands; `printer`: what is printed;
- `terminal`: the prompt_toolkit prompt and the plain line reader; `completion`: Tab;
- `chain`: `--chain DIR`, the session on a persistent chain (keys, access-checked reads).

The user's guide is docs/repl.md.
"""

from __future__ import annotations

from .session import Session

__all__ = ["Session"]
