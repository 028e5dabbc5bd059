"""The two kinds of failure: what users cause, and bugs in Tabellion itself."""

__all__ = ["TabellionError", "InternalError", "CompileError"]


class TabellionError(Exception):
    """Something the user's input caused; the CLI renders it and exits non-zero."""


class InternalError(Exception):
    """A bug in Tabellion: never the user's fault, reported with a request to file it."""


class CompileError(TabellionError):
    """A source text that does not parse or check; carries every diagnostic found."""

    def __init__(self, diagnostics):
        self.diagnostics = tuple(diagnostics)
        first = self.diagnostics[0].message if self.diagnostics else "compile error"
        super().__init__(first)
