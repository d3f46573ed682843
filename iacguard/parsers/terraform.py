"""The Terraform formats: `*.tf` files, parsed by the HCL parser, and `*.tf.json`
files, Terraform's JSON syntax, read as JSON with positions and made into the same
model by the normaliser (`iacguard.parsers.terraform_json`). Variable files
(`*.tfvars`) are read by the evaluator as inputs, not scanned as resources.

Which files use a changed one (`iacguard.dependents`, asked of the `.tf` format for
both kinds of file): the files of a folder share its variables and locals, so a file declaring some is used by its siblings; an
override file (`is_override`) is used by the folder's other files, through which alone
its blocks are checked, and uses them in turn (the blocks it overrides must be
there); the var files Terraform loads by itself are used by the files of their folder, and those the
config names by every Terraform file; every file of a folder is used by the files
that call the folder as a local module (`module` blocks with a `./` or `../`
source, found by reading only those lines of the root's `.tf` files, and the
`module` objects of its `.tf.json` files); any other file by the `.tf` and `.tf.json`
files that read it as a template (a Bicep file is never one), and only through them
when it is in no format of its own. A `templatefile` path with interpolations
(`"${path.module}/templates/${var.kind}.tftpl"`) reads every file of the module's
folder that its written parts can match: the folder and start of the name before the
first interpolation, the end after the last (`templates/*.tftpl`); one that writes
nothing out, or leaves the module's folder, names no file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from iacguard.formats import Claim, ParsedFile
from iacguard.lazy import regex

JSON_SUFFIX = ".tf.json"

# What decides a link, read without parsing: a declaration a sibling can use, and a
# module block's source (the first `source` argument between the block's head and the
# next module's; None when it is no literal).
_DECLARES = regex(r'^[ \t]*(?:variable|locals)\b|"(?:variable|locals)"\s*:', re.MULTILINE)  # HCL or JSON
_MODULE = regex(r'^[ \t]*module[ \t]+"([^"\n]*)"[ \t]*\{', re.MULTILINE)
_SOURCE = regex(r'(?:^|(?<=\{))[ \t]*source[ \t]*=[ \t]*(?:"([^"\n]*)")?', re.MULTILINE)
# A `templatefile` call's path: relative to the module's folder (`${path.module}/...`)
# or, as in a root module, to the folder of the file itself. Bicep files are no
# Terraform template, and looking one up would walk the root for the Terraform files:
# a repository of both pays for it on every Bicep change.
_NEVER_TEMPLATES = (".bicep", ".bicepparam")
VAR_FILE_SUFFIXES = (".tfvars", ".tfvars.json")  # a folder's variable files: read as its inputs, never scanned
_TEMPLATE = regex(r'\btemplatefile\(\s*"(?:\$\{path\.(?:module|root|cwd)\}/)?')


class TerraformFormat:
    name = "terraform"
    label = "Terraform"
    kinds = ("web_app", "container_group", "container", "registry", "k8s_cluster", "k8s_node_pool", "key_vault", "cloud_resource")

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith(".tf") and not ignored(filename) else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        # Loaded on first use (start-up time counts); shares the evaluator's parse
        # cache so a file read earlier as a module sibling is not parsed again.
        from pathlib import Path

        from iacguard.evaluators.terraform import parsed_files

        parsed = parsed_files.get(Path(path), text)
        return ParsedFile(path, self.name, text, parsed, parsed.comments, parsed.spans)

    def users(self, changed: Path, tree, parts_only: bool = False) -> Iterator:
        from iacguard.dependents import Use

        name, folder = changed.name, changed.parent
        if name.endswith(_NEVER_TEMPLATES):
            return
        if not name.endswith((".tf", JSON_SUFFIX, *VAR_FILE_SUFFIXES)):  # perhaps a template
            part = tree.discovery.format_of(changed) is None  # then checked only through the files that read it
            if part or not parts_only:
                yield from self._callers(tree, changed, "reads", part=part)
            return
        if is_override(name):  # its blocks are checked only through the files that write them
            for user in module_files(folder):
                if not is_override(user.name):
                    yield Use(user, f"{tree.display(changed)} overrides its blocks", part=True)
        if parts_only:  # every other Terraform file is checked on its own too
            return
        if name.endswith(VAR_FILE_SUFFIXES):
            from iacguard.evaluators.terraform import var_files_of  # here: other files do not pay for its import

            if os.path.realpath(changed) in {os.path.realpath(path) for path in tree.settings.terraform_var_files}:
                for user in tree.files(self):
                    yield Use(user, f"the config applies {tree.display(changed)} to every Terraform file")
            elif changed in var_files_of(folder):
                for user in module_files(folder):
                    yield Use(user, f"Terraform loads {tree.display(changed)} for its folder")
            return
        if not is_override(name):
            text = tree.read(changed)
            declares = text is None or _DECLARES.search(text)  # unreadable: it may declare anything
            for user in module_files(folder):
                if user.name != name and declares:
                    yield Use(user, f"it shares the variables and locals of {tree.display(changed)}")
                elif user.name != name and is_override(user.name):  # whether what it overrides is there
                    yield Use(user, f"it overrides blocks of {tree.display(changed)}")
        yield from self._callers(tree, folder, "calls", shares=True)

    def _callers(self, tree, called: Path, verb: str, part: bool = False, shares: bool = False) -> Iterator:
        """The `.tf` and `.tf.json` files of the root that call `called` as a module
        (`verb` "calls") or read it as a template ("reads"), as uses."""
        from iacguard.dependents import callers

        for fmt in (self, *(fmt for fmt in tree.discovery.formats if isinstance(fmt, TerraformJsonFormat))):
            yield from callers(tree, fmt, _NAMES[fmt.name, verb], verb, part, shares)(called)


def module_files(folder: Path) -> list[Path]:
    """The files of a module, as Terraform loads them: `*.tf` and `*.tf.json`, but
    for those it ignores (`ignored`)."""
    return sorted(path for path in [*folder.glob("*.tf"), *folder.glob(f"*{JSON_SUFFIX}")] if not ignored(path.name))


def ignored(filename: str) -> bool:
    """Whether Terraform leaves the file out of its module: a hidden file (`.old.tf`)
    or an editor's (a lock `.#main.tf`, a backup `main.tf~`, an autosave `#main.tf#`).
    It is no configuration, so neither format claims it."""
    return filename.startswith(".") or filename.endswith("~") or filename.startswith("#") and filename.endswith("#")


def is_override(filename: str) -> bool:
    """Whether Terraform reads the file as an override file: `override.tf`,
    `*_override.tf` and their `.tf.json` forms, merged into the blocks the folder's
    other files write (`iacguard.evaluators.terraform_overrides`)."""
    stem = filename.removesuffix(JSON_SUFFIX) if filename.endswith(JSON_SUFFIX) else filename.removesuffix(".tf")
    return stem != filename and (stem == "override" or stem.endswith("_override"))


def _calls(text: str) -> Iterator[tuple[str, str]]:
    """The local module calls of a file: each block's name and source. A block's
    source is looked for only up to the next module block, so the file is read once
    however many modules it calls, and a module whose source is an expression is
    never given the next one's."""
    heads = list(_MODULE.finditer(text))
    for number, module in enumerate(heads):
        end = heads[number + 1].start() if number + 1 < len(heads) else len(text)
        source = _SOURCE.search(text, module.end(), end)
        if source is not None and source.group(1) is not None and source.group(1).startswith(("./", "../")):
            yield module.group(1), source.group(1)


def _templates(text: str) -> Iterator[tuple[str, str]]:
    """The templates a file reads with `templatefile`: the path as written, with
    `ANY` for each interpolation in it (`templates/${var.kind}.tftpl`). A path with
    nothing written out (`"${var.template}"`) names no file in particular."""
    from iacguard.dependents import ANY  # here: a scan that asks for no users does not pay for its import

    for template in _TEMPLATE.finditer(text):
        path = _string_path(text, template.end())
        if path and path.strip(ANY):
            yield "with templatefile", path


def _string_path(text: str, start: int) -> str | None:
    """The HCL string starting at `start` (after its opening quote) as a path, each
    interpolation or directive (`${...}`, `%{...}`) replaced by `ANY`, up to its
    closing quote; None when the string does not end on its line."""
    from iacguard.dependents import ANY

    path, position, depth = [], start, 0
    while position < len(text) and text[position] != "\n":
        char = text[position]
        if depth:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if char == '"':  # a string inside the interpolation: passed over whole
                end = text.find('"', position + 1)
                position = end if end != -1 else len(text)
        elif text.startswith(("$${", "%%{"), position):
            path.append(text[position + 1:position + 3])
            position += 2
        elif text.startswith(("${", "%{"), position):
            path.append(ANY)
            depth, position = 1, position + 1
        elif char == "\\":
            path.append(text[position + 1:position + 2])
            position += 1
        elif char == '"':
            return "".join(path)
        else:
            path.append(char)
        position += 1
    return None


def _json_document(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # its own scan says why
        return None


def _json_calls(text: str) -> Iterator[tuple[str, str]]:
    """The local module calls of a `.tf.json` file: `"module": {"NAME": {"source":
    "./..."}}` (a block's body may also be a list of bodies)."""
    document = _json_document(text)
    modules = document.get("module") if isinstance(document, dict) else None
    for module in modules if isinstance(modules, list) else [modules]:
        for name, bodies in module.items() if isinstance(module, dict) else ():
            for body in bodies if isinstance(bodies, list) else [bodies]:
                source = body.get("source") if isinstance(body, dict) else None
                if isinstance(source, str) and source.startswith(("./", "../")):
                    yield name, source


def _json_templates(text: str) -> Iterator[tuple[str, str]]:
    """The templates a `.tf.json` file reads with `templatefile`, in any of its
    strings (`"${templatefile(\"${path.module}/t.tftpl\", {})}"`)."""
    pending = [_json_document(text)]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str) and "templatefile" in value:
            yield from _templates(value)


# How each Terraform format's files name the files they use: module calls, templates.
_NAMES = {("terraform", "calls"): _calls, ("terraform", "reads"): _templates,
          ("terraform-json", "calls"): _json_calls, ("terraform-json", "reads"): _json_templates}


class ReadAsTerraform:
    """What the formats whose resources are the Terraform format's share (`.tf.json`
    files, plans): so are the rules and their fixtures (`renders`), and a resource
    with `count` or `for_each` is reported per instance, as in a `.tf` file, not once
    per line as a rendered template is."""

    kinds: tuple[str, ...] = ()
    renders = "terraform"
    one_finding_per_line = False


class TerraformJsonFormat(ReadAsTerraform):
    name = "terraform-json"
    label = "Terraform JSON"

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith(JSON_SUFFIX) and not ignored(filename) else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        return parse_configuration(text, path, self.name)


def parse_configuration(text: str, path: str, name: str = "terraform-json") -> ParsedFile:
    """A Terraform configuration file by its name: `.tf.json` as JSON with positions
    (format `name`), anything else as HCL. The formats whose findings point into
    configuration files (`.tf.json`, plans) read them so, for their lines and their
    suppression comments."""
    if not path.endswith(JSON_SUFFIX):
        return TerraformFormat().parse(text, path)
    from iacguard.parsers import positional_json  # loaded on first use

    return ParsedFile(path, name, text, positional_json.parse(text))
