"""Docker Compose files: `compose.yaml` and the other names `docker compose` looks
for, `docker-compose*.yml`, `*.compose.yaml`, and any other YAML file with a service
that names an `image` or a `build`, as Compose requires of one (a Helm chart's
values with `services.api.image.repository` are not a compose file).

A file is read as the project `docker compose config` would make of it
(`iacguard.evaluators.compose`): its override file merged over it, its `include`d
files, the services it `extends`, and `${VAR}` values from the `.env` beside it.
An override file (`compose.override.yaml`, `docker-compose.override.yml`, ...) is
never a project on its own: it is checked through the file it overrides.

Which files use a changed one (`iacguard.dependents`): an override file and a `.env`
are used by the compose files beside them; an `env_file`, an `include`d file, an
`extends` file and the Dockerfile a service builds by the compose files that name them (found by reading every
compose file of the scan root once); a file named by a file that an `include` merges,
read from the included project's folder, by the including file. `inputs_of` lists
them all for one file.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from iacguard.diagnostics import CONTENT_WARNING
from iacguard.formats import Claim, ParsedFile
from iacguard.lazy import regex

# The files `docker compose` reads when none is named, in the order it looks for
# them, and the override files it then merges over the one it found (compose-go
# `cli.DefaultFileNames`, `cli.DefaultOverrideFileNames`).
PROJECT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
OVERRIDE_FILES = ("compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml")
ENV_FILE = ".env"
# A top-level `services:` key; a key of a service's body that Compose needs one of:
# `image:` with a scalar (not a mapping or a list, as a Helm chart's values write
# `image: {repository: ..., tag: ...}`), or `build:`.
_SERVICES = regex(r"^services[ \t]*:[ \t]*(?:#.*)?$", re.MULTILINE)
_BUILT_OR_PULLED = regex(r"build[ \t]*:|image[ \t]*:[ \t]*[^\s#{\[]")
# The formats of the files a compose file names: included and extended compose files,
# the Dockerfiles it builds; an env file is in no format. A Terraform, Bicep, ARM,
# Kubernetes or Helm file is none of these, so its change is not looked up among the
# compose files' references (which walks the root for them).
_READ_FORMATS = ("compose", "dockerfile")


def claims_by_name(filename: str) -> bool:
    """Whether the name is a compose file's, in any case: `compose.y(a)ml`,
    `docker-compose*.y(a)ml`, `*.compose.y(a)ml` or an override file. Tested as
    strings, not as `fnmatch` patterns: every file a scan meets is asked, and
    compiling the patterns, with `textwrap`'s (`iacguard.rule._cleandoc`), took
    0.7 ms of a check of one Dockerfile."""
    name = filename.lower()
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix not in ("yaml", "yml"):
        return False
    return stem == "compose" or stem.startswith("docker-compose") or stem.endswith(".compose") or is_override(filename)


def is_override(filename: str) -> bool:
    return filename.lower() in OVERRIDE_FILES


def override_of(project_file: Path) -> Path | None:
    """The override file `docker compose` merges over `project_file` when it runs
    without `-f`: only a file of a default name has one, the first that exists."""
    if project_file.name not in PROJECT_FILES:
        return None
    return next((project_file.parent / name for name in OVERRIDE_FILES if os.path.lexists(project_file.parent / name)), None)


class ComposeFormat:
    name = "compose"
    label = "Docker Compose"
    kinds = ("container", "pod")
    # A top-level `services:` is its own (no Kubernetes object has one): asked before
    # Kubernetes, whose `apiVersion` and `kind` a config's `content` may hold.
    sniff_first = True

    def claim(self, filename: str) -> Claim:
        if claims_by_name(filename):
            return Claim.YES
        return Claim.MAYBE if filename.lower().endswith((".yaml", ".yml")) else Claim.NO

    def sniff(self, text: str) -> bool:
        if "services" not in text:
            return False  # one search in C, where the expression is tried at each line: the 1,478 YAML files Checkov reads told in 10 -> 2 ms
        return any(_runs_an_image(text, services.end()) for services in _SERVICES.finditer(text))

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import yaml as positional_yaml  # loaded on first use: start-up time counts

        loaded = positional_yaml.load(text)
        diagnostics = [
            (mark.line, mark.column, f"duplicate key {key!r}: the last value is used here, and docker compose rejects the file", "warning", CONTENT_WARNING)
            for key, mark in loaded.duplicate_keys
        ]
        return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans, diagnostics)

    def users(self, changed: Path, tree, parts_only: bool = False) -> Iterator:
        from iacguard.dependents import Use, callers

        if is_override(changed.name):
            for name in PROJECT_FILES:
                if os.path.lexists(changed.parent / name):
                    yield Use(changed.parent / name, f"it is merged with {tree.display(changed)}", part=True)
                    return
        elif changed.name == ENV_FILE:
            for user in tree.files(self):
                if user.parent == changed.parent and not is_override(user.name):
                    yield Use(user, f"its variables are set in {tree.display(changed)}", part=True)
        else:  # a file named by a compose file; one that is no compose file itself is checked only through it
            fmt = tree.discovery.format_of(changed)
            if fmt is not None and (parts_only or fmt.name not in _READ_FORMATS):
                return  # not checked through a compose file alone; or no env file, compose file or Dockerfile
            yield from callers(tree, self, referenced, verb="reads", part=fmt is None)(changed)
            yield from _read_from_project_folders(tree, self, changed, part=fmt is None)


def _runs_an_image(text: str, start: int) -> bool:
    """Whether a service of the `services:` block that starts at `start` has an
    image or a build directly in its body: a key indented as the first key under
    the service's name. The block ends at the next line that is not indented; a
    list of services is some other tool's."""
    service_indent = body_indent = None
    for line in text[start:].splitlines():
        key = line.lstrip(" \t")
        if not key or key.startswith("#"):
            continue
        indent = len(line) - len(key)
        if indent == 0:
            return False
        if service_indent is None or indent <= service_indent:
            if key.startswith("-"):
                return False
            service_indent, body_indent = service_indent or indent, None
            continue
        body_indent = body_indent or indent
        if indent == body_indent and _BUILT_OR_PULLED.match(key):
            return True
    return False


def is_remote_context(context: Any) -> bool:
    """A build context, `include` or `extends` file that Docker Compose fetches: a
    URL (`https://...git#main`, `oci://...`), or a Git repository by address
    (`git@host:repo`, `github.com/owner/repo`). iacguard never fetches one."""
    return isinstance(context, str) and ("://" in context or context.startswith(("git@", "github.com/")))


def dockerfile_of(build: Any, folder: str) -> str | None:
    """The Dockerfile a service's `build` names (a context folder, or `context` and
    `dockerfile` relative to it), relative to `folder`; None for a context given by
    URL or a variable, and for `dockerfile_inline`."""
    context, dockerfile = (build.get("context", "."), build.get("dockerfile", "Dockerfile")) if isinstance(build, dict) else (build, "Dockerfile")
    if isinstance(build, dict) and "dockerfile_inline" in build:
        return None
    if not isinstance(context, str) or not isinstance(dockerfile, str) or is_remote_context(context):
        return None
    return os.path.normpath(os.path.join(folder, context, dockerfile))


def referenced(text: str) -> Iterator[tuple[str, str]]:
    """The files a compose file's text names, each with how, relative to its folder:
    `env_file` entries, `include` paths (and their `env_file`), `extends` files and
    the Dockerfiles of services that build their image.
    Paths written with a variable are left out: which file they name is not known."""
    for root in _tops(text):
        yield from _named_by(root)


def _named_by(root: dict) -> Iterator[tuple[str, str]]:
    """`referenced` for one document of a compose file."""
    for entry in _items(root.get("include")):
        paths = entry.get("path") if isinstance(entry, dict) else entry
        for path in _items(paths):
            yield "as an included file", path
        yield from (("as an env_file of its include", path) for path in _items(entry.get("env_file") if isinstance(entry, dict) else None))
    services = root.get("services")
    for service in services.values() if isinstance(services, dict) else ():
        if not isinstance(service, dict):
            continue
        for entry in _items(service.get("env_file")):
            path = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(path, str):
                yield "as an env_file", path
        extends = service.get("extends")
        if isinstance(extends, dict) and isinstance(extends.get("file"), str) and not is_remote_context(extends["file"]):
            yield "as the file of a service it extends", extends["file"]
        dockerfile = dockerfile_of(service.get("build"), "") if service.get("build") is not None else None
        if dockerfile is not None and "$" not in dockerfile:
            yield "as the Dockerfile of a service it builds", dockerfile


def _read_from_project_folders(tree, fmt, changed: Path, part: bool) -> Iterator:
    """The compose files whose `include`s read `changed` from the included project's
    folder rather than from the included file's own: `include: [{path: [a.yaml,
    b.yaml]}]` reads what `b.yaml` names from `a.yaml`'s folder, and a
    `project_directory` moves it for every file of the list (as the evaluator reads
    them). A compose file read from its own folder is left to `callers`, which finds
    it and then its includer. Every compose file of the scan root, and each file its
    includes merge, is read once, through the input door."""
    from iacguard.dependents import Use

    def build() -> dict[str, list[tuple[Path, Path, str, str]]]:
        index: dict[str, list[tuple[Path, Path, str, str]]] = {}
        compose_files = set(tree.files(fmt))
        for path in tree.files(fmt):
            text = tree.read(path, walked=True)
            folder = tree.settings.real_path(path.parent)
            for project, merged in _included_projects(text) if text is not None else ():
                project_folder = os.path.normpath(os.path.join(folder, project))
                for name in merged:
                    included = Path(os.path.normpath(path.parent / name))
                    if included in compose_files and os.path.normpath(os.path.join(folder, os.path.dirname(name))) == project_folder:
                        continue
                    included_text = tree.read(included)
                    for how, relative in referenced(included_text) if included_text is not None else ():
                        index.setdefault(os.path.normpath(os.path.join(project_folder, relative)), []).append((path, included, how, project_folder))
        return index

    index = tree.index(f"{fmt.name} reads from project folders", build)
    for user, included, how, project_folder in index.get(tree.settings.real_path(changed), ()):
        reason = f"it includes {tree.display(included)}, which reads {tree.display(changed)} {how} from {tree.display(Path(project_folder))}"
        yield Use(user, reason, part)


def _included_projects(text: str) -> Iterator[tuple[str, list[str]]]:
    """Each `include` entry of a compose file's text: the folder its project reads
    relative paths from and the files it merges, all relative to the file's folder.
    An entry with a path or project folder written with a variable is left out, as
    the evaluator leaves it."""
    for entry in (entry for root in _tops(text) for entry in _items(root.get("include"))):
        written = entry.get("path") if isinstance(entry, dict) else entry
        paths = written if isinstance(written, list) else [written]
        project = entry.get("project_directory") if isinstance(entry, dict) else None
        if not paths or not all(isinstance(path, str) and "$" not in path and not is_remote_context(path) for path in (*paths, project or "")):
            continue
        yield project or os.path.dirname(paths[0]), paths


def _tops(text: str) -> list[dict]:
    """The top-level mappings of a compose file's documents (Compose merges them in
    order); none when it does not parse."""
    from iacguard.errors import ParseError
    from iacguard.parsers import yaml as positional_yaml

    try:
        documents = positional_yaml.load(text).documents
    except ParseError:
        return []
    return [document.root for document in documents if isinstance(document.root, dict)]


def _items(value) -> list:
    """A value that may be written as one item or a list of them, as a list of the
    items a path can be read from (mappings, and strings without variables that
    name no remote file)."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [item for item in items if isinstance(item, dict) or (isinstance(item, str) and "$" not in item and not is_remote_context(item))]


def inputs_of(path: Path, text: str) -> list[Path]:
    """Every file besides itself that a compose file's project reads, when they
    exist or are named: its override file, the `.env` beside it, and the files its
    text names (see `referenced`); what those files name in turn is theirs."""
    beside = [override_of(path), path.parent / ENV_FILE if os.path.lexists(path.parent / ENV_FILE) else None]
    named = [Path(os.path.normpath(path.parent / relative)) for _, relative in referenced(text)]
    return list(dict.fromkeys(found for found in (*beside, *named) if found is not None))
