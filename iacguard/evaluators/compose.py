"""A compose file's services as `docker compose config` makes them, every value
located where a file wrote it.

What is applied, following the Compose Specification:

- Interpolation of every value: `$VAR`, `${VAR}`, `${VAR:-default}` (unset or
  empty), `${VAR-default}` (unset), `${VAR:+other}`, `${VAR+other}`, `${VAR:?error}`,
  `${VAR?error}`, nested defaults, and `$$` for a literal `$`. Variables come from
  the `.env` file of the project folder only. The environment of the machine that
  runs the scan is never read: a result must not depend on where it ran, and a CI
  secret must never reach a report. So a variable the `.env` does not set is unset
  when the file gives a default or an alternative, and Unknown otherwise (the
  environment may set it where the project runs). A value a variable gives whole
  (`${TOKEN}`) was written by the `.env` line that sets it (`Project.supplied`).
- The override file beside a file of a default name (`compose.override.yaml`, ...),
  merged over it; `extends` (in the same file or another), applied before the
  service's own settings; `include`d files, each read as a project of its own
  folder, whose services are imported into the file that includes them before the
  files merge (a service that file, or a file merged over it, defines too is merged
  over the imported one, and may extend it). An included project's variables are
  the including project's, then those of its folder's `.env`, or of every
  `env_file` the include names (a later file winning), as compose-go's
  `ApplyInclude` gives them.
- Every document of a file (`---`), merged over the ones before it as a file is;
  an empty one adds nothing.
- Merging, as `docker compose` merges an override or an extended service: mappings
  key by key; `command`, `entrypoint` and `healthcheck.test` replaced; `environment`,
  `labels`, `extra_hosts`, `sysctls`, `annotations` and build `args` (lists of
  `KEY=VALUE` or mappings) by name; `volumes` and `devices` by their target path,
  `secrets` and `configs` by target or source; other lists joined, each item once.
- The merge directives `!reset` (what the bases give under the key is dropped; in
  a file with no base, the key is left out) and `!override` (the value replaces
  what the bases give instead of merging with it). They act wherever a base is
  merged under the file: the files before it, and the services it `extends` (as
  `docker compose` applies a file's resets to the base of each service it extends;
  compose-go `loader/reset.go`, `loader/extends.go`). A directive on a list item
  changes nothing, as in `docker compose`.
- YAML anchors and `<<` merge keys are the YAML reader's (`iacguard.parsers.yaml`);
  `x-` extension fields are read like any other key and used by none.

Every service of the project is returned, whatever its `profiles`: a profile only
decides when a service starts. A service whose `extends` cannot be read, or names a
remote file, is returned as `incomplete`: what its base would set is unknown. A
remote `include` or `extends` file (`oci://...`, a Git address) is never fetched; a
note (IG006) says so. A local one that is refused (missing, outside the scan root,
not valid YAML) makes the file incomplete (IG005, told at the entry that names
it); a base service that its file does not define, or a cycle, is a warning, as
docker compose rejects the file. An `env_file` or a Dockerfile that is refused is
told where the scanned file names it too (`scanned_at`); the project's `.env`, which
no line names, and what another file of the project names have no line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iacguard.budgets import MAX_MODULE_DEPTH, Budget
from iacguard.diagnostics import CONTENT_WARNING, NOT_FETCHED
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.patches import Relocate, copy_tree, in_file, new_map, new_seq, put
from iacguard.formats import ParsedFile, ScanContext
from iacguard.lazy import regex
from iacguard.model import Location, Related, Unknown, relocated
from iacguard.parsers.compose import ENV_FILE, is_remote_context, override_of
from iacguard.parsers.documents import Mark, YMap, YSeq
from iacguard.structs import replace, struct

_NAME = regex(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":+", ":?", "-", "+", "?")
_REPLACED = frozenset({"command", "entrypoint", "test"})
_BY_NAME = frozenset({"environment", "labels", "extra_hosts", "sysctls", "annotations", "args"})
_BY_TARGET = frozenset({"volumes", "devices", "secrets", "configs"})
# The value is taken whole and stripped after: a lazy group before trailing blanks
# backtracks over every blank, quadratic on a long line of them.
_DOTENV_LINE = regex(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*[=:][ \t]*(.*)$")
# A quoted `.env` value from after its opening quote to its closing one, lines included.
_DOTENV_QUOTED = {"'": re.compile(r"[^']*'"), '"': re.compile(r'(?:[^"\\]|\\.)*"', re.DOTALL)}
_DOTENV_ESCAPE = regex(r"\\(.)", re.DOTALL)
_DOTENV_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


class _Reset:
    """A value written `!reset`: the key is gone, whatever the bases give under it."""

    def __repr__(self) -> str:
        return "!reset"


RESET = _Reset()


@struct(frozen=True)
class Replacement:
    """A value written `!override`, or set again after a `!reset`: merged over a
    base, it replaces the base's value instead of merging with it."""

    value: Any


@struct
class Service:
    """One service of the project. `head` is where its name is written in the first
    file that defines it (see `merged`), or the extending service's own name;
    `body` its merged settings, whose marks name their file (`path` None: the
    scanned file)."""

    name: str
    head: Mark
    body: YMap
    incomplete: bool = False


class Variables:
    """The project's variables (from its `.env`) and what interpolation makes of a value.
    A variable the `.env` sets to a value it cannot know (`A=${FROM_CI}`) is set,
    to Unknown: every value that uses it is Unknown, whatever its operator.
    `origins` holds the line that sets each variable."""

    def __init__(self, values: dict[str, str | Unknown], budget: Budget, origins: dict[str, Mark] | None = None):
        self.values = values
        self.budget = budget
        self.origins = origins or {}

    def origin(self, text: str) -> tuple[Mark, str] | None:
        """The line that sets the variable a value is taken from whole, and its
        name: `$NAME`, `${NAME}`, or `${NAME-default}` and `${NAME?error}` (with or
        without `:`) when the variable gives the value. That line wrote the value;
        a value that adds text of its own (`nginx:${TAG}`) is the compose file's."""
        if text.startswith("${") and _closing_brace(text, 2) == len(text) - 1:
            inner = text[2:-1]
        elif text.startswith("$"):
            inner = text[1:]
        else:
            return None
        name = _NAME.match(inner)
        if name is None or name.group() not in self.origins:
            return None
        value, rest = self.values[name.group()], inner[name.end() :]
        if text[1] != "{" and rest:
            return None
        operator = next((operator for operator in _OPERATORS if rest.startswith(operator)), None)
        if rest and operator not in (":-", "-", ":?", "?"):
            return None
        taken = isinstance(value, str) and (value != "" or not rest.startswith(":"))
        return (self.origins[name.group()], name.group()) if taken else None

    def over(self, below: Variables) -> Variables:
        """These variables, and those of `below` that they do not set."""
        return Variables({**below.values, **self.values}, self.budget, {**below.origins, **self.origins})

    def interpolate(self, value: Any) -> Any:
        """A value with its variables replaced; Unknown when one is not known."""
        if not isinstance(value, str) or "$" not in value:
            return value
        result = self._text(value)
        return Unknown(value) if result is None else result

    def _text(self, text: str) -> str | None:
        parts, index = [], 0
        while index < len(text):
            dollar = text.find("$", index)
            if dollar < 0:
                parts.append(text[index:])
                break
            parts.append(text[index:dollar])
            following = text[dollar + 1 : dollar + 2]
            if following == "$":
                parts.append("$")
                index = dollar + 2
                continue
            if following == "{":
                end = _closing_brace(text, dollar + 2)
                if end is None:
                    return None  # docker compose rejects the file: nothing is known
                value = self._braced(text[dollar + 2 : end])
                index = end + 1
            else:
                name = _NAME.match(text, dollar + 1)
                if name is None:
                    parts.append("$")
                    index = dollar + 1
                    continue
                value = self.values.get(name.group())
                index = name.end()
            if not isinstance(value, str):
                return None
            parts.append(value)
        self.budget.build(sum(map(len, parts)), "interpolation")
        return "".join(parts)

    def _braced(self, inner: str) -> str | None:
        """`NAME`, or `NAME` and an operator with its word (itself interpolated)."""
        name = _NAME.match(inner)
        if name is None:
            return None
        value, rest = self.values.get(name.group()), inner[name.end() :]
        if isinstance(value, Unknown):
            return None
        if not rest:
            return value
        operator = next((operator for operator in _OPERATORS if rest.startswith(operator)), None)
        if operator is None:
            return None
        word = rest[len(operator) :]
        present = value is not None and (value != "" or not operator.startswith(":"))
        if operator.endswith("-"):
            return value if present else self._text(word)
        if operator.endswith("+"):
            return self._text(word) if present else ""
        return value if present else None  # `?`: docker compose stops where the environment does not set it


def _closing_brace(text: str, start: int) -> int | None:
    """The index of the `}` that closes a `${` opened before `start`."""
    depth, index = 1, start
    while index < len(text):
        if text.startswith("$$", index):
            index += 2
            continue
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def dotenv(text: str, budget: Budget) -> dict[str, str | Unknown]:
    """The variables of a `.env` or `env_file`: `KEY=VALUE` lines (`export` allowed),
    values unquoted (a ` #` starts a comment), in single quotes (as written) or in
    double quotes (`\\n` and friends; variables set earlier are replaced, as in
    unquoted values)."""
    return {name: value for name, value, _ in dotenv_entries(text, budget)}


def dotenv_entries(text: str, budget: Budget) -> list[tuple[str, str | Unknown, int]]:
    """`dotenv`, each entry with its line; a value whose variables are not set
    earlier in the file is Unknown. A quoted value may span lines, as Compose reads
    it: what follows its closing quote on that line is a comment."""
    entries, known = [], Variables({}, budget)
    position, number = 0, 1
    while position <= len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        line = text[position:end]
        match = _DOTENV_LINE.match(line)
        following, lines = end + 1, 1
        if match is not None and not line.lstrip().startswith("#"):
            name, raw = match.group(1), match.group(2).rstrip(" \t")
            quoted = _DOTENV_QUOTED[raw[:1]].match(text, position + match.start(2) + 1) if raw[:1] in _DOTENV_QUOTED else None
            if quoted is not None:
                inner = quoted.group()[:-1]
                value: str | Unknown = inner if raw[:1] == "'" else known.interpolate(_DOTENV_ESCAPE.sub(_unescaped, inner))
                closing_line = text.find("\n", quoted.end())
                following, lines = (len(text) if closing_line < 0 else closing_line) + 1, inner.count("\n") + 1
            else:
                value = known.interpolate(re.split(r"[ \t]#", raw, maxsplit=1)[0].rstrip())  # one blank: `[ \t]+#` backtracks over every run of blanks
            entries.append((name, value, number))
            known.values[name] = value
        position, number = following, number + lines
    return entries


def _unescaped(escape: re.Match) -> str:
    """A double-quoted value's escape: `\\n`, `\\t`, `\\"` and `\\\\`; another is kept as written."""
    return _DOTENV_ESCAPES.get(escape.group(1), escape.group())


class Project:
    """One compose file read as the project `docker compose` makes of it."""

    def __init__(self, parsed: ParsedFile, context: ScanContext):
        self.parsed = parsed
        self.context = context
        self.budget = Budget()
        self.texts: dict[str, str] = {parsed.path: parsed.text}
        self._tags: dict[str, dict[tuple[int, int], str]] = {parsed.path: parsed.native.tags}
        self._documents: dict[str, list] = {parsed.path: [document.root for document in parsed.native.documents if document.root is not None]}
        self._lines: dict[str, list[str]] = {}
        self._folders: dict[str, str] = {}  # file -> the folder its relative paths are read from
        self._stages: dict[tuple, list] = {}
        # A value a `.env` variable gives whole, by its mark: the line that sets the
        # variable, and its name. Findings about the value point at that line.
        self.supplied: dict[Mark, tuple[Mark, str]] = {}

    def services(self) -> list[Service]:
        override = override_of(Path(self.parsed.path))
        files = [self.parsed.path, *([str(override)] if override is not None else [])]
        folder = os.path.dirname(self.parsed.path)
        return self._project(files, folder, self._variables([(os.path.join(folder, ENV_FILE), None)], required=False), 0, ())

    def text_of(self, mark: Mark) -> str:
        """The text of the line a mark stands on, in the file it names (its lines
        split once: a file of thousands of ports asks for thousands of them)."""
        path = mark.path or self.parsed.path
        lines = self._lines.get(path)
        if lines is None:
            lines = self.texts.get(path, "").split("\n")
            if path in self.texts:
                self._lines[path] = lines
        return lines[mark.line - 1] if 0 < mark.line <= len(lines) else ""

    def folder_of(self, mark: Mark) -> str:
        """The folder a relative path written at `mark` is read from: the project's
        folder for every file merged into the project (the first file's, when an
        `include` merges several), the file's own for a file a service extends."""
        path = mark.path or self.parsed.path
        return self._folders.get(path, os.path.dirname(path))

    def _project(self, files: list[str], folder: str, variables: Variables, depth: int, chain: tuple) -> list[Service]:
        """The services of `files` (a file and those merged over it: its override
        file, or the other paths of an `include`), interpolated with `variables`.
        As compose-go's loader does, each document of each file is merged over the
        ones before it, in order, once its `include`s are imported into it and its
        services' `extends` applied within it: an override file changes an included
        service as it changes one of the file's own."""
        if depth > MAX_MODULE_DEPTH:
            raise BudgetExceeded(f"compose includes nest more than {MAX_MODULE_DEPTH} deep", files[0])
        tree, incomplete = None, set()
        for file in files:
            self._folders.setdefault(file, folder)
            for root in self._read(file):
                layer = self._interpolated(file, root, variables)
                incomplete |= self._include_into(layer, folder, variables, depth, (*chain, files[0]))
                incomplete |= self._extend_services(layer, folder, variables)
                tree = layer if tree is None else merged(tree, layer, None, self.budget)
        if not isinstance(tree, YMap):
            return []
        services = tree.get("services")
        found = []
        for name, body in services.items() if isinstance(services, YMap) else ():
            body = settled(body, self.budget)
            if isinstance(name, str) and isinstance(body, (YMap, type(None))):
                body = body if body is not None else new_map(services.value_marks[name])
                found.append(Service(name, services.key_marks[name], body, name in incomplete))
        return found

    def _include_into(self, layer: Any, folder: str, variables: Variables, depth: int, chain: tuple) -> set[str]:
        """Import the services of one file's `include`s into its tree, in place, as
        compose-go's `ApplyInclude` does: a service the file defines too is merged
        over the imported one, and one an earlier include imports over a later
        one's. The names of those whose base could not be read."""
        includes = settled(layer.get("include"), self.budget) if isinstance(layer, YMap) else None
        if includes is None:
            return set()
        at = layer.value_marks["include"]
        imported, incomplete = new_map(at), set()
        for include, mark in zip(_listed(includes), includes.item_marks if isinstance(includes, YSeq) else [at]):
            for service in self._included(include, mark, layer, folder, variables, depth, chain):
                earlier = imported.get(service.name)
                body = service.body if earlier is None else merged(service.body, earlier, None, self.budget)
                put(imported, service.name, body, imported.key_marks.get(service.name, service.head), body.mark)
                if service.incomplete:
                    incomplete.add(service.name)
        own = layer.get("services")
        put(layer, "services", imported if own is None else merged(imported, own, None, self.budget), layer.key_marks.get("services", at),
            layer.value_marks.get("services", at))
        return incomplete

    def _extend_services(self, layer: Any, folder: str, variables: Variables) -> set[str]:
        """Apply `extends` to the services of one file's tree, in place; the names
        of those whose base could not be read."""
        services = layer.get("services") if isinstance(layer, YMap) else None
        if not isinstance(services, YMap):
            return set()
        extending = [name for name, body in services.items() if isinstance(_unwrapped(body), YMap) and "extends" in _unwrapped(body)]
        resolved = {name: self._extended(name, services, folder, variables, ()) for name in extending}  # every base as written
        for name, (body, _) in resolved.items():
            services[name] = Replacement(body) if isinstance(services[name], Replacement) else body
        return {name for name, (_, complete) in resolved.items() if not complete}

    def _included(self, include: Any, mark: Mark, tree: YMap, folder: str, variables: Variables, depth: int, chain: tuple) -> list[Service]:
        """The services of an `include` entry, a project of its own folder whose
        variables are the including project's, then those of the `env_file`s the
        entry names (a later file wins), or of its folder's `.env` (compose-go
        `ApplyInclude`)."""
        entry = include if isinstance(include, YMap) else {"path": include}
        remote = next((path for path in _listed(entry.get("path")) if is_remote_context(path)), None)
        if remote is not None:
            self.note(f"include {remote} is remote and never fetched, so the services it brings are not checked", mark)
            return []
        paths = [os.path.normpath(os.path.join(folder, path)) for path in _listed(entry.get("path")) if isinstance(path, str)]
        if not paths or any(isinstance(path, Unknown) for path in _listed(entry.get("path"))):
            return []
        if paths[0] in chain:
            mark = tree.value_marks.get("include", tree.mark)
            self.parsed.diagnose(CONTENT_WARNING, "warning", f"{paths[0]} includes itself again; docker compose rejects the cycle", mark.path or self.parsed.path, mark.line, mark.column)
            return []
        for path in paths:
            self._read(path, mark)  # a refusal is told at the entry; the project below reads it again from memory
        project_folder = entry.get("project_directory")
        project_folder = os.path.normpath(os.path.join(folder, project_folder)) if isinstance(project_folder, str) else os.path.dirname(paths[0])
        env_files = [(os.path.normpath(os.path.join(folder, name)), at) for name, at in listed_at(entry, "env_file") if isinstance(name, str)]
        own = self._variables(env_files or [(os.path.join(project_folder, ENV_FILE), None)], required=bool(env_files))
        return self._project(paths, project_folder, variables.over(own), depth + 1, chain)

    def _extended(self, name: str, services: YMap, folder: str, variables: Variables, chain: tuple) -> tuple[YMap, bool]:
        """A service with what it `extends` merged under its own settings, and
        whether its base could be read."""
        body = _unwrapped(services.get(name))
        body = body if isinstance(body, YMap) else new_map(services.value_marks[name])
        extends = body.get("extends")
        if extends is None:
            return body, True
        own = copy_tree(body, self.budget)
        del own["extends"]
        base_name = extends.get("service") if isinstance(extends, YMap) else extends
        file = extends.get("file") if isinstance(extends, YMap) else None
        if len(chain) > MAX_MODULE_DEPTH:
            mark = services.key_marks[name]
            raise BudgetExceeded(f"compose services extend each other more than {MAX_MODULE_DEPTH} deep", mark.path or self.parsed.path, mark.line)
        if (folder, base_name, file) in chain:
            mark = body.value_marks["extends"]
            self.parsed.diagnose(CONTENT_WARNING, "warning", f"service {name} extends itself again through {base_name}; docker compose rejects the cycle",
                                 mark.path or self.parsed.path, mark.line, mark.column)
            return own, False
        if not isinstance(base_name, str) or isinstance(file, Unknown):
            return own, False
        if is_remote_context(file):
            self.note(f"extends file {file} is remote and never fetched, so what services/{name} takes from it is not known", extends.value_marks["file"])
            return own, False
        base_services, base_folder = services, folder
        if isinstance(file, str):
            path = os.path.normpath(os.path.join(folder, file))
            self._folders.setdefault(path, os.path.dirname(path))
            tree = None
            for root in self._read(path, extends.value_marks["file"]):
                layer = self._interpolated(path, root, variables)
                tree = layer if tree is None else merged(tree, layer, None, self.budget)
            if path in self.context.refused:
                return own, False  # IG005 says so
            base_services, base_folder = (tree.get("services") if isinstance(tree, YMap) else None), os.path.dirname(path)
        if not isinstance(base_services, YMap) or base_name not in base_services:
            mark = extends.value_marks["service"] if isinstance(extends, YMap) else body.value_marks["extends"]
            where = f"{file} does not define it" if isinstance(file, str) else "no such service is defined"
            self.parsed.diagnose(CONTENT_WARNING, "warning", f"service {name} extends {base_name}, but {where}; docker compose rejects it",
                                 mark.path or self.parsed.path, mark.line, mark.column)
            return own, False
        base, complete = self._extended(base_name, base_services, base_folder, variables, (*chain, (folder, base_name, file)))
        return merged(base, own, None, self.budget), complete

    def note(self, message: str, mark: Mark) -> None:
        """A not-fetched note (IG006) at `mark`: what a remote file would give."""
        self.parsed.diagnose(NOT_FETCHED, "note", message, mark.path or self.parsed.path, mark.line, mark.column)

    def _read(self, path: str, named_at: Mark | None = None) -> list:
        """The trees of a file's documents that are not empty, read once; none when
        it is refused, which the refusal (IG005) says at `named_at`, where the
        scanned file names it (an `include` or `extends` entry)."""
        if path not in self._documents:
            from iacguard.parsers import yaml as positional_yaml

            at = scanned_at(named_at)
            text = self.context.read_dependency(path, at=at)
            roots = []
            if text is not None:
                self.texts[path] = text
                try:
                    loaded = positional_yaml.load(text)
                    roots = [document.root for document in loaded.documents if document.root is not None]
                    self._tags[path] = loaded.tags
                except ParseError as error:
                    self.context.refuse(path, f"not valid YAML: {error.message}", at)
            self._documents[path] = roots
        return self._documents[path]

    def _interpolated(self, path: str, root: Any, variables: Variables) -> Any:
        relocate: Relocate | None = None if path == self.parsed.path else in_file(path)
        tree = copy_tree(root, self.budget, relocate, scalar=variables.interpolate)
        if variables.origins:
            self._note_supplied(root, relocate, variables)
        tags = self._tags.get(path)
        if tags:
            _mark_directives(tree, tags, self.budget)
        return tree

    def _note_supplied(self, node: Any, relocate: Relocate | None, variables: Variables) -> None:
        """Add to `supplied` each value of a file's tree that a variable gives whole,
        and each `KEY=VALUE` list item's value (an `environment` list's)."""
        if isinstance(node, YMap):
            items = [(value, node.value_marks[key]) for key, value in node.items()]
        elif isinstance(node, YSeq):
            items = list(zip(node, node.item_marks))
        else:
            return
        self.budget.step(len(items))
        for value, mark in items:
            if not isinstance(value, str):
                self._note_supplied(value, relocate, variables)
                continue
            if "$" not in value:
                continue
            key, equals, after = value.partition("=")
            if equals and "$" not in key:
                origin, mark = variables.origin(after), value_mark(mark, key)
            else:
                origin = variables.origin(value)
            if origin is not None:
                self.supplied[relocate(mark) if relocate else mark] = origin

    def _variables(self, paths: list[tuple[str, Mark | None]], required: bool) -> Variables:
        """The variables of a project's `.env` (missing is fine: none are set) or of
        the `env_file`s an include names (each must exist), a later file winning;
        each path with where it is named (None for the `.env`)."""
        values: dict[str, str | Unknown] = {}
        origins: dict[str, Mark] = {}
        for path, named in paths:
            for name, value, line in self.env_file(path, required, named) or ():  # a `.env` that appears later changes the result
                values[name], origins[name] = value, Mark(line, 1, path)
        return Variables(values, self.budget, origins)

    def dockerfile_stages(self, path: str, build_args: dict[str, Any] | None = None, named: Mark | None = None) -> list:
        """The `image_build` resources of a Dockerfile a service builds with
        `build_args` (its `build.args`), read once per project and arguments (several
        services often build one alike); none when it is refused or does not parse,
        which is told at `named`, where the service's `build` names it."""
        key = (path, tuple(sorted((build_args or {}).items(), key=lambda item: str(item[0]))))
        if key not in self._stages:
            from iacguard.normalizers.dockerfile import normalize
            from iacguard.parsers.dockerfile import DockerfileFormat

            at = scanned_at(named)
            text = self.context.read_dependency(path, at=at)
            try:
                self._stages[key] = list(normalize(DockerfileFormat().parse(text, path), None, build_args)) if text is not None else []
            except ParseError as error:
                self.context.refuse(path, f"not a valid Dockerfile: {error.message}", at)
                self._stages[key] = []
        return self._stages[key]

    def inline_stages(self, text: str, mark: Mark, build_args: dict[str, Any] | None = None) -> list:
        """The `image_build` resources of a `dockerfile_inline` written at `mark`,
        built with `build_args`, located in the compose file: each line of a literal
        block (`|`) on the line that holds it, any other scalar at its start. A text
        that is no Dockerfile gives none, with a warning (docker compose would fail to
        build it)."""
        from iacguard.normalizers.dockerfile import normalize
        from iacguard.parsers.dockerfile import DockerfileFormat

        path = mark.path or self.parsed.path
        try:
            stages = list(normalize(DockerfileFormat().parse(text, path), None, build_args))
        except ParseError as error:
            self.parsed.diagnose(CONTENT_WARNING, "warning", f"dockerfile_inline is not a valid Dockerfile: {error.message}", path, mark.line, mark.column)
            return []
        if self.text_of(mark)[mark.column - 1 : mark.column] == "|":
            following = (self.text_of(Mark(line, 1, mark.path)) for line in range(mark.line + 1, mark.line + 1 + len(text.split("\n"))))
            indent = next((len(line) - len(line.lstrip()) for line in following if line.strip()), 0)
            return [relocated(stage, _shifted(lambda line, column: (mark.line + line, column + indent))) for stage in stages]
        return [relocated(stage, _shifted(lambda line, column: (mark.line, mark.column))) for stage in stages]

    def env_file(self, path: str, required: bool, named: Mark | None = None) -> list[tuple[str, str | Unknown, int]] | None:
        """The entries of a service's `env_file`, named at `named`; None when it cannot
        be read (an optional one that is missing gives no entries)."""
        if not required and not os.path.lexists(path):
            self.context.dependencies.add(path)
            return []
        text = self.context.read_dependency(path, at=scanned_at(named))
        if text is None:
            return None
        self.texts[path] = text
        return dotenv_entries(text, self.budget)


def _shifted(move: Callable[[int, int], tuple[int, int]]) -> Callable[[Location], Location]:
    """A location in text embedded in a file (and its hops), moved by `move` from the
    text's lines and columns to the file's: what `relocated` applies to a resource
    read from that text."""

    def hop(related: Related) -> Related:
        if related.line is None:
            return related
        line, column = move(related.line, related.column or 1)
        return replace(related, line=line, column=column)

    def moved(location: Location) -> Location:
        line, column = move(location.line, location.column)
        return replace(location, line=line, column=column, end_line=None, end_column=None, via=tuple(map(hop, location.via)))

    return moved


def _mark_directives(node: Any, tags: dict[tuple[int, int], str], budget: Budget) -> None:
    """Replace, in a file's fresh tree, each mapping value written `!reset` by RESET
    and each written `!override` by its Replacement."""
    if isinstance(node, YMap):
        budget.step(len(node))
        for key, value in node.items():
            mark = node.value_marks[key]
            tag = tags.get((mark.line, mark.column))
            if tag == "!reset":
                node[key] = RESET
                continue
            _mark_directives(value, tags, budget)
            if tag == "!override":
                node[key] = Replacement(value)
    elif isinstance(node, YSeq):
        for item in node:
            _mark_directives(item, tags, budget)


def _unwrapped(value: Any) -> Any:
    return value.value if isinstance(value, Replacement) else value


def settled(node: Any, budget: Budget) -> Any:
    """A merged tree without merge directives: a key reset is left out, an
    overriding value is the value. The tree is returned as it is when it holds none."""
    node = _unwrapped(node)
    if isinstance(node, YMap):
        items = {key: settled(value, budget) for key, value in node.items() if value is not RESET}
        if len(items) == len(node) and all(items[key] is node[key] for key in items):
            return node
        budget.step(len(node))
        copy = new_map(node.mark)
        copy.end_line = node.end_line
        for key, value in items.items():
            put(copy, key, value, node.key_marks[key], node.value_marks[key])
        return copy
    if isinstance(node, YSeq):
        items = [settled(item, budget) for item in node]
        if all(new is old for new, old in zip(items, node)):
            return node
        copy = YSeq(items)
        copy.mark, copy.end_line, copy.item_marks = node.mark, node.end_line, list(node.item_marks)
        return copy
    return node


def merged(base: Any, override: Any, key: Any, budget: Budget) -> Any:
    """`override` merged over `base` as `docker compose` merges files and extended
    services (a null keeps the base's value); what the override writes is located
    in it, and a key whose mapping it adds to stays where the base wrote it: a
    service's head is in the first file that defines the service, so a setting no
    file writes is reported there, never in an override that adds to the service
    (`compose.override.yaml`, often a developer's own). A directive the override
    writes (`!reset`, `!override`) takes the place of the base's value, and stays
    in the tree for the bases merged under it later (those of `extends`)."""
    budget.step()
    if base is RESET:
        return Replacement(override)  # set again after a reset: the older bases stay dropped
    if isinstance(base, Replacement):
        return Replacement(merged(base.value, override, key, budget))
    if key in _BY_NAME and isinstance(base, (YMap, YSeq)) and isinstance(override, (YMap, YSeq)):
        base, override = as_mapping(base), as_mapping(override)
    if isinstance(base, YMap) and isinstance(override, YMap) and key not in _REPLACED:
        result = copy_tree(base, budget) if key in _BY_NAME else _shallow(base)
        for name, value in override.items():
            if value is None and name in result:
                continue  # a null keeps what it is merged over (only `!reset` removes it)
            directive = value is RESET or isinstance(value, Replacement)
            key_mark = override.key_marks[name]
            if name in result and not directive:
                below, value = _long_forms(result[name], value, name, result.value_marks[name], override.value_marks[name])
                combined = merged(below, value, name, budget)
                if isinstance(_unwrapped(below), YMap) and isinstance(value, YMap):
                    key_mark = result.key_marks[name]  # the base defines the mapping (a service's head); the override adds to it
            else:
                combined = value
            put(result, name, combined, key_mark, override.value_marks[name])
        return result
    if isinstance(base, YSeq) and isinstance(override, YSeq) and key not in _REPLACED:
        identity: Callable[[Any], Any] = _target if key in _BY_TARGET else _hashable
        result = YSeq()
        result.mark, result.end_line, result.item_marks = override.mark, override.end_line, []
        overridden = {identity(item) for item in override}
        kept = set()  # a set, not a scan of the result for each item: lists of thousands are merged in linear time
        for items in (base, override):
            for item, mark in zip(items, items.item_marks):
                if items is base and identity(item) in overridden:
                    continue
                key = _hashable(item)
                if items is override and key in kept:
                    continue
                kept.add(key)
                result.append(item)
                result.item_marks.append(mark)
        return result
    return override


# Settings with a short form (a string) for what a mapping or list writes in full.
_SHORT_FOR_MAPPING = {"build": "context"}
_SHORT_FOR_LIST = frozenset({"env_file", "dns", "dns_search", "tmpfs"})


def _long_forms(base: Any, override: Any, key: Any, base_mark: Mark, override_mark: Mark) -> tuple[Any, Any]:
    """The two values in the same form where one is short and the other long, as
    `docker compose` writes both in full before it merges: `build: ./app` is
    `{context: ./app}` under a mapping, `env_file: a.env` is `[a.env]` under a list."""
    if key in _SHORT_FOR_MAPPING and isinstance(base, YMap) != isinstance(override, YMap):
        return _long(base, base_mark, key), _long(override, override_mark, key)
    if key in _SHORT_FOR_LIST and isinstance(base, YSeq) != isinstance(override, YSeq):
        return _long(base, base_mark, key), _long(override, override_mark, key)
    return base, override


def _long(value: Any, mark: Mark, key: Any) -> Any:
    if not isinstance(value, (str, Unknown)):
        return value
    if key in _SHORT_FOR_MAPPING:
        mapping = new_map(mark)
        put(mapping, _SHORT_FOR_MAPPING[key], value, mark)
        return mapping
    items = new_seq(mark)
    items.append(value)
    items.item_marks.append(mark)
    return items


def _shallow(mapping: YMap) -> YMap:
    copy = YMap(mapping)
    copy.mark, copy.end_line = mapping.mark, mapping.end_line
    copy.key_marks, copy.value_marks = dict(mapping.key_marks), dict(mapping.value_marks)
    return copy


def as_mapping(node: YMap | YSeq) -> YMap:
    """A list of `KEY=VALUE` (or `KEY` alone, for a value taken from the environment:
    Unknown) as the mapping it stands for, each value located after its `=`."""
    if isinstance(node, YMap):
        return node
    mapping = new_map(node.mark)
    for item, mark in zip(node, node.item_marks):
        if isinstance(item, Unknown):  # a variable in the name or the value: the value stays unknown
            put(mapping, item.expression.partition("=")[0].strip(), item, mark)
            continue
        if not isinstance(item, str):
            continue
        name, has_value, value = item.partition("=")
        put(mapping, name.strip(), value if has_value else Unknown(f"{name} from the environment"), mark, value_mark(mark, name) if has_value else mark)
    return mapping


def value_mark(mark: Mark, name: str) -> Mark:
    """Where the value of a `NAME=VALUE` list item written at `mark` starts."""
    return Mark(mark.line, mark.column + len(name) + 1, mark.path)


def _target(item: Any) -> Any:
    """What a volume, device, secret or config entry is known by: its target, or
    its source when none is written."""
    if isinstance(item, YMap):
        return _hashable(item.get("target") or item.get("source"))
    if isinstance(item, str):
        parts = item.split(":")
        return parts[1] if len(parts) > 1 else parts[0]
    return _hashable(item)


def _hashable(item: Any) -> Any:
    if isinstance(item, Replacement):
        return ("!override", _hashable(item.value))
    if isinstance(item, dict):
        return tuple(sorted((str(key), _hashable(value)) for key, value in item.items()))
    if isinstance(item, list):
        return tuple(_hashable(value) for value in item)
    return item if not isinstance(item, Unknown) else ("unknown", item.expression)


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, YSeq) else [] if value is None else [value]


def listed_at(mapping: Any, key: str) -> list[tuple[Any, Mark | None]]:
    """The items of a setting written as one value or as a list (`env_file`), each
    with where it is written."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    if isinstance(value, YSeq):
        return list(zip(value, value.item_marks))
    return [] if value is None else [(value, getattr(mapping, "value_marks", {}).get(key))]


def scanned_at(mark: Mark | None) -> tuple[int, int] | None:
    """The line and column of `mark` when it stands in the scanned file, where a
    refusal to read the file it names (IG005) is told; None in another file of the
    project (its marks carry its path): a diagnostic's line is the scanned file's."""
    return (mark.line, mark.column) if mark is not None and mark.path is None else None
