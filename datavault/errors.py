"""The one user-facing error type. Raised anywhere in the core; printed once by ``cli.py`` as one line, exit 1."""


class UserError(Exception):
    """A problem the user can fix: a missing file, something that is not an export, a bad option."""


class InterruptedAfterSave(KeyboardInterrupt):
    """Ctrl-C that came once the import's transaction had committed (while the vault went back to its log):
    the import is saved, and the user must not be told otherwise."""


class VaultFault(UserError):
    """The vault file could not be used (locked, read-only, full, damaged): what happened, and what to do. Between
    the two the CLI says whether anything was saved, which only it knows (``datavault/faults.py``)."""

    def __init__(self, problem: str, remedy: str):
        self.problem, self.remedy = problem, remedy
        super().__init__(self.told(saved=False))

    def told(self, saved: bool) -> str:
        done = ("The import itself was saved; the report's index is completed by the next command." if saved
                else "Nothing was changed.")
        return f"{self.problem} {done} {self.remedy}"
