"""iacguard: one rule set for container infrastructure-as-code in every format.

The names exported here are the public API for plugin authors; everything else is
internal. Importing this package stays cheap because editors call the CLI on every save.
"""

__version__ = "0.2.0"

from iacguard.errors import ConfigError, IacguardError, ParseError
from iacguard.image import ImagePattern, ImageRef
from iacguard.model import Attr, EnvVar, Location, Resource, Unknown
from iacguard.rule import Option, Problem, Rule, problem, rule, setting_problem

# What rules use to declare and build fixes, imported on first use: `iacguard --help`
# and a scan that loads no rule never pay for it.
_FIX_NAMES = ("Edit", "Fix", "safe_fix", "set_to", "unsafe_fix")


__all__ = [
    "Attr",
    "ConfigError",
    "Edit",
    "EnvVar",
    "Fix",
    "IacguardError",
    "ImagePattern",
    "ImageRef",
    "Location",
    "Option",
    "ParseError",
    "Problem",
    "Resource",
    "Rule",
    "Unknown",
    "hookimpl",
    "problem",
    "rule",
    "safe_fix",
    "set_to",
    "setting_problem",
    "unsafe_fix",
]


def __getattr__(name: str):
    """Names whose modules cost start-up time, imported on request: `hookimpl`,
    pluggy's marker for plugin authors, and what rules declare fixes with."""
    if name == "hookimpl":
        from iacguard.hookspecs import hookimpl

        return hookimpl
    if name in _FIX_NAMES:
        import iacguard.fixes

        return getattr(iacguard.fixes, name)
    raise AttributeError(f"module 'iacguard' has no attribute {name!r}")
