"""The exceptions iacguard raises. All derive from `IacguardError` so the CLI can
turn any of them into a clean message instead of a traceback."""

import reprlib


class IacguardError(Exception):
    """Base of every error iacguard raises on purpose."""


class ConfigError(IacguardError):
    """Invalid configuration or command-line usage (exit code 2)."""


class ParseError(IacguardError):
    """A scanned file could not be parsed. Reported per file; the scan goes on."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class BudgetExceeded(IacguardError):
    """Evaluating a scanned file went over one of the fixed evaluation budgets (see
    `iacguard.budgets`). Raised at once, before the oversized value is built; the
    runner reports it as IG004 and the file as incomplete."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line


class LoopRefused(BudgetExceeded):
    """A loop over `iacguard.budgets.MAX_LOOP_INSTANCES`, refused before anything of
    it was built or spent: what reads a configuration only to look its instances up
    (a Terraform plan's, which has them all) can go on without them."""


def shown(value: object) -> str:
    """A value as an error message shows it: its repr, cut short. Config values can
    be huge (an alias bomb expands to billions of items), so the repr is built piece
    by piece and stops early; it is never made in full."""
    return _SHORT.repr(value)


class _ShortRepr(reprlib.Repr):
    def __init__(self):
        super().__init__()
        self.maxlevel, self.maxlist, self.maxdict, self.maxstring, self.maxother = 2, 4, 4, 60, 60

    def repr1(self, value, level):
        """reprlib picks a method by the exact type name; YAML gives list and dict
        subclasses, which would otherwise get a full repr."""
        for kind in (list, dict):
            if isinstance(value, kind):
                return getattr(self, f"repr_{kind.__name__}")(value, level)
        return super().repr1(value, level)


_SHORT = _ShortRepr()
