"""The plugin hooks of iacguard: the only way anything gets into a scan.

Built-in formats, normalizers, rules and reporters are registered through these
very hooks (see `iacguard.builtin`), exactly as a third-party plugin found through
the `iacguard` entry-point group. Each hook returns a list; pluggy collects the
lists of every registered plugin.
"""

from __future__ import annotations

import pluggy

from iacguard.plugins import PROJECT

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def iacguard_formats():
    """Return `iacguard.formats.Format` objects.

    A format claims files (by name, then by content for ambiguous names) and parses
    one into a `ParsedFile` with exact positions. Format names are unique.
    """


@hookspec
def iacguard_normalizers():
    """Return `iacguard.formats.Normalizer` objects.

    A normalizer turns a parsed file of one format into canonical `Resource`s. Several
    normalizers may serve one format (for example one for custom resource kinds).
    """


@hookspec
def iacguard_rules():
    """Return `iacguard.rule.Rule` objects (functions decorated with `@rule`).

    Codes and names must be unique across all plugins.
    """


@hookspec
def iacguard_reporters():
    """Return `iacguard.reporters.Reporter` objects, one per output format name."""
