"""Errors that the CLI and web layers turn into one clear line (never a traceback)."""

from __future__ import annotations


class TiplensError(Exception):
    """A problem the user can act on. ``exit_code`` 2 means bad input, 1 a failure of the tool."""

    exit_code = 1

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class BadInput(TiplensError):
    """The input (a file, an option, a column mapping) cannot be used."""

    exit_code = 2
