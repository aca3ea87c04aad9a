"""The errors users see.

Every error a user can cause is a :class:`MutualsError` whose ``str()`` is one sentence that names the
setting, file, record or field concerned. The CLI (``cli/main.py``) and the web app each translate these in
exactly one place; anything else is a bug and is reported as one.
"""

from __future__ import annotations


class MutualsError(Exception):
    """Base class for every error that is the user's to fix."""

    #: Whether running the same thing again, unchanged, could succeed (a busy database, a network error).
    retryable: bool = False


class ConfigError(MutualsError):
    """A setting (environment variable or CLI option) has a value we cannot use."""


class StorageError(MutualsError):
    """The database cannot be opened, created or upgraded."""

    retryable = True


class ImportFormatError(MutualsError):
    """An input file is not what its importer expects (wrong format, truncated, wrong encoding)."""

    def __init__(self, file: str, message: str) -> None:
        self.file = file
        self.message = message
        super().__init__(f"{file}: {message}")


class NotFoundError(MutualsError):
    """Something the user named (a person, a conversation, an account) does not exist."""


class AmbiguousError(MutualsError):
    """A name matches several things; the message lists them."""


class InvalidInputError(MutualsError):
    """A value given on the command line or in a form is not acceptable."""
