"""The exceptions iacguard raises. All derive from `IacguardError` so the CLI can
turn any of them into a clean message instead of a traceback."""


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
