"""The one user-facing error type. Raised anywhere in the core; printed once by ``cli.py`` as one line, exit 1."""


class UserError(Exception):
    """A problem the user can fix: a missing file, something that is not an export, a bad option."""


class InterruptedAfterSave(KeyboardInterrupt):
    """Ctrl-C that came once the import's transaction had committed (while the vault went back to its log):
    the import is saved, and the user must not be told otherwise."""
