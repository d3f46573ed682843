"""Azure Resource Manager (ARM) JSON templates, compiled Bicep included.

A `.json` file is a template when its `$schema` names `deploymentTemplate.json`.
Templates may contain `//` and `/* */` comments: they are blanked out (positions
kept, text remembered for suppressions). A template without comments is read by
`json.loads`, its positions found on demand (`positional_json`): 0.3 s for the
corpus's 729 templates (22 MB). One with comments, or that `json.loads` refuses
(trailing commas, line breaks inside strings, which the deployment engine accepts),
is read by the positional YAML layer, which also gives the statement spans that
comment suppressions need and the line of a real syntax error: about 6 MB/s.

Which files use a changed one (`iacguard.dependents`): `NAME.parameters.json` is
read by the template `NAME.json` beside it, and a parameter file the config names by
every template; a template is also a Bicep module (see the Bicep format).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from iacguard.formats import Claim, Comment, ParsedFile, alone_on_line
from iacguard.lazy import regex
from iacguard.parsers.json_keys import top_level_key

_SCHEMA = regex(r'"\$schema"\s*:\s*"[^"]*deploymentTemplate\.json', re.IGNORECASE)
# Text up to the next comment: runs of anything but quotes and slashes, whole strings
# (which may span lines, as the deployment engine allows; in single quotes too, which
# its JSON reader takes for a string, a backslash escaping as in double quotes), and
# slashes that start no comment. Written unrolled, so that one C call matches it at
# about 250 MB/s.
_CODE = regex(r"""[^"'/]*(?:(?:"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*'|/(?![/*]))[^"'/]*)*""", re.DOTALL)
_COMMENT = regex(r"//[^\n]*|/\*.*?(?:\*/|\Z)", re.DOTALL)


def is_arm_template(text: str) -> bool:
    """True when the text is a JSON object whose top-level `$schema` names the ARM
    template schema, wherever the key stands among the others; the key deeper down
    (a nested deployment's template, a manifest's annotation) makes no template."""
    return bool(_SCHEMA.search(text)) and top_level_key(text, _SCHEMA)


PARAMETERS_SUFFIX = ".parameters.json"  # NAME.parameters.json beside the template NAME


def parameter_file_users(fmt, changed: Path, tree, suffixes: tuple[str, ...]) -> Iterator:
    """The templates of `fmt` that read the parameter file `changed`: the one beside
    it named after it (each of `suffixes`), or every one when the config names it."""
    from iacguard.dependents import Use

    configured = {os.path.realpath(path) for path in tree.settings.arm_parameter_files}
    if configured and tree.settings.real_path(changed) in configured:
        for user in tree.files(fmt):
            yield Use(user, f"the config applies {tree.display(changed)} to every template")
    elif changed.name.endswith(PARAMETERS_SUFFIX):
        stem = changed.name.removesuffix(PARAMETERS_SUFFIX)
        for suffix in suffixes:
            if os.path.isfile(changed.with_name(stem + suffix)):
                yield Use(changed.with_name(stem + suffix), f"it takes its parameters from {tree.display(changed)}")


class ArmFormat:
    name = "arm"
    label = "ARM"
    sniff_first = True  # the template schema is its own: asked before Kubernetes, whose keys its resources have
    kinds = ("web_app", "container_group", "container", "registry", "k8s_cluster", "k8s_node_pool", "key_vault", "cloud_resource")

    def claim(self, filename: str) -> Claim:
        return Claim.MAYBE if filename.lower().endswith((".json", ".jsonc")) else Claim.NO

    def users(self, changed: Path, tree, parts_only: bool = False) -> Iterator:
        return iter(()) if parts_only else parameter_file_users(self, changed, tree, (".json", ".jsonc"))

    def sniff(self, text: str) -> bool:
        return is_arm_template(text)

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import positional_json  # loaded on first use

        blanked, comments = blank_comments(text)
        loaded = None if comments else positional_json.load(blanked)
        if loaded is None:  # JSON with comments, or that the JSON reader leaves: read as YAML, a superset of it
            from iacguard.parsers import yaml as positional_yaml  # PyYAML: only then

            loaded = positional_yaml.load(blanked)
        return ParsedFile(path, self.name, text, loaded, comments, loaded.spans)


def blank_comments(text: str) -> tuple[str, list[Comment]]:
    """The text with comments replaced by spaces (newlines kept, so positions stay),
    and the comments themselves."""
    comments: list[Comment] = []
    if "//" not in text and "/*" not in text:
        return text, comments
    pieces: list[str] = []
    position = line = line_start = 0  # newlines before `position`, and where its line starts
    while True:  # linear: every match or comment moves on, and a failed string ends it
        end = _CODE.match(text, position).end()
        pieces.append(text[position:end])
        if end == len(text):
            return "".join(pieces), comments
        comment = _COMMENT.match(text, end)
        if comment is None:  # a string that never closes runs to the end: no comment in it
            pieces.append(text[end:])
            return "".join(pieces), comments
        token = comment.group()
        line += text.count("\n", position, end)
        line_start = max(line_start, text.rfind("\n", position, end) + 1)
        comments.append(Comment(line + 1, end - line_start + 1, token.rstrip(), alone_on_line(text, line_start, end)))
        if "\n" in token:
            line += token.count("\n")
            line_start = end + token.rfind("\n") + 1
        pieces.append(re.sub(r"[^\n]", " ", token))
        position = comment.end()
