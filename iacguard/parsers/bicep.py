"""The Bicep format: `.bicep` source files and `.bicepparam` parameter files, read
by the parser in `bicep_syntax` (loaded on first use, so other scans do not pay for
it). Compiled Bicep (`bicep build` output) is an ARM template and read as one.

Which files use a changed one (`iacguard.dependents`): a Bicep file or an ARM
template is used by the Bicep files that call it as a `module`, and a Bicep file by
those that `import` from it (found by reading only those lines of the root's
`.bicep` files); `NAME.bicepparam` and
`NAME.parameters.json` by `NAME.bicep` beside them, and a parameter file the config
names by every Bicep file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from iacguard.formats import Claim, ParsedFile
from iacguard.lazy import regex
from iacguard.parsers.arm import parameter_file_users

_MODULE = regex(r"^[ \t]*module[ \t]+(\w+)[ \t]+'([^'\n]*)'", re.MULTILINE)  # module NAME 'PATH' = ...
_IMPORT = regex(r"^[ \t]*import\b[^'=]*?\bfrom[ \t]+'([^'\n]*)'", re.MULTILINE)  # import {a, b} from 'PATH'


class BicepFormat:
    name = "bicep"
    label = "Bicep"
    kinds = ("web_app", "container_group", "container", "registry", "k8s_cluster", "k8s_node_pool", "key_vault", "cloud_resource")

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith((".bicep", ".bicepparam")) else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import bicep_syntax

        parsed = bicep_syntax.parsed_files.get(path, text)  # the name as given: a `Path` made of it cost 0.0065 s of a scan of the corpus's Bicep files
        return ParsedFile(path, self.name, text, parsed, parsed.comments, parsed.spans)

    def users(self, changed: Path, tree, parts_only: bool = False) -> Iterator:
        from iacguard.dependents import Use, callers

        if parts_only:  # every Bicep file is checked on its own too
            return
        yield from parameter_file_users(self, changed, tree, (".bicep",))
        if changed.name.endswith(".bicepparam"):
            template = changed.with_name(changed.name.removesuffix(".bicepparam") + ".bicep")
            if os.path.isfile(template):
                yield Use(template, f"it takes its parameters from {tree.display(changed)}")
        elif changed.name.endswith(".bicep") or (changed.name.endswith((".json", ".jsonc")) and getattr(tree.discovery.format_of(changed), "name", None) == "arm"):
            yield from callers(tree, self, _uses, verb="uses", shares=True)(changed)


def _uses(text: str) -> Iterator[tuple[str, str]]:
    """How a Bicep file uses each file it names (one index of the root's files for
    both: each is read once)."""
    yield from ((f"as module {module.group(1)}", module.group(2)) for module in _MODULE.finditer(text))
    yield from (("for what it exports", found.group(1)) for found in _IMPORT.finditer(text))
