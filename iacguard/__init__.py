"""iacguard: one rule set for container infrastructure-as-code in every format.

The names exported here are the public API for plugin authors; everything else is
internal. Importing this package stays cheap because editors call the CLI on every save.
"""

__version__ = "0.2.0"

from iacguard.errors import ConfigError, IacguardError, ParseError
from iacguard.image import ImagePattern, ImageRef
from iacguard.model import Attr, EnvVar, Location, Resource, Unknown
from iacguard.rule import Option, Problem, Rule, problem, rule, setting_problem

__all__ = [
    "Attr",
    "ConfigError",
    "EnvVar",
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
    "setting_problem",
]


def __getattr__(name: str):
    """`hookimpl`, pluggy's marker for plugin authors, imports pluggy: only on request."""
    if name == "hookimpl":
        from iacguard.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(f"module 'iacguard' has no attribute {name!r}")
