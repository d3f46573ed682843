"""iacguard: one rule set for container infrastructure-as-code in every format.

The names exported here are the public API for plugin authors; everything else is
internal. Importing this package stays cheap because editors call the CLI on every save.
"""

__version__ = "0.2.0"

from iacguard.errors import ConfigError, IacguardError, ParseError
from iacguard.fixes import Edit, Fix, safe_fix, set_to, unsafe_fix
from iacguard.hookspecs import hookimpl
from iacguard.image import ImagePattern, ImageRef
from iacguard.model import Attr, EnvVar, Location, Resource, Unknown
from iacguard.rule import Option, Problem, Rule, problem, rule, setting_problem

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
