"""iacguard: one rule set for container infrastructure-as-code in every format.

The names exported here are the public API for plugin authors; everything else is
internal. Each is imported on first use, so `import iacguard` costs nothing: editors
and hooks start the command for every file, and `python -m iacguard` imports this
package before it drops the working directory (a scanned repository) from `sys.path`.
"""

import sys
import types

__version__ = "0.2.0"

# Each public name and the module that defines it.
_HOMES = {
    "ConfigError": "iacguard.errors",
    "IacguardError": "iacguard.errors",
    "ParseError": "iacguard.errors",
    "ImagePattern": "iacguard.image",
    "ImageRef": "iacguard.image",
    "Attr": "iacguard.model",
    "EnvVar": "iacguard.model",
    "Location": "iacguard.model",
    "Resource": "iacguard.model",
    "Unknown": "iacguard.model",
    "Option": "iacguard.rule",
    "Problem": "iacguard.rule",
    "Rule": "iacguard.rule",
    "problem": "iacguard.rule",
    "rule": "iacguard.rule",
    "setting_problem": "iacguard.rule",
    "hookimpl": "iacguard.hookspecs",  # pluggy's marker for plugin authors
    "Edit": "iacguard.fixes",
    "Fix": "iacguard.fixes",
    "declined": "iacguard.fixes",
    "safe_fix": "iacguard.fixes",
    "set_to": "iacguard.fixes",
    "unsafe_fix": "iacguard.fixes",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'iacguard' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # the next look-up is an ordinary one
    return value


class _Package(types.ModuleType):
    """The package, whose `rule` stays the decorator: importing the submodule
    `iacguard.rule` would otherwise make the package's `rule` that module (an eager
    `from iacguard.rule import rule` used to bind the decorator after it)."""

    def __setattr__(self, name: str, value) -> None:
        if name in _HOMES and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
