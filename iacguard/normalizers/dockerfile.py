"""Dockerfile stages as `image_build` resources.

Each `FROM` starts a stage. A stage built on an earlier stage inherits its user,
the user its base image runs as (where `iacguard.base_images` knows it), environment,
labels, health check, shell and operating system, so runtime rules read the effective
values of the final stage without walking the chain themselves. Each stage also
carries the RUN steps of the later stages that see its files, so a fix that takes
files away from it can tell whether a later stage needs them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from iacguard import shell
from iacguard.base_images import published_user
from iacguard.budgets import Budget, locate
from iacguard.errors import BudgetExceeded, ParseError
from iacguard.evaluators.dockerfile import ClosedScope, Value, expand, has_reference, key_values, split_words
from iacguard.formats import ParsedFile, ScanContext
from iacguard.image import ImageRef
from iacguard.model import Attr, CopyStep, EnvVar, Location, Resource, RunStep, Unknown
from iacguard.parsers.dockerfile_syntax import Dockerfile, Heredoc, Instruction
from iacguard.structs import field, replace, struct

# Windows images, told from the name and the tag (`mcr.microsoft.com/dotnet/runtime:
# 8.0-nanoserver-ltsc2022` is a Windows image under a name that says nothing), with
# the user their published configuration runs as: Nano Server as `ContainerUser`,
# Server Core and the full Windows images as `ContainerAdministrator`.
_WINDOWS_VARIANTS = (
    (re.compile(r"nanoserver"), "ContainerUser"),
    (re.compile(r"servercore|windows/server\b|/windows(?::|$)"), "ContainerAdministrator"),
    (re.compile(r"windows|ltsc20\d\d"), None),  # Windows, variant unknown
)
_WINDOWS_SHELLS = ("powershell", "cmd")  # Windows PowerShell and cmd run on Windows only
# The ARGs BuildKit defines in the global scope, known only when the image is built.
_PLATFORM_ARGS = ("TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT")


@struct
class _Stage:
    """What a stage accumulates while its instructions are read in order."""

    index: int
    from_: Instruction
    name: str | None = None
    image: Attr | None = None
    base: _Stage | None = None
    scope: dict[str, Value] = field(default_factory=dict)
    env_values: dict[str, Value] = field(default_factory=dict)
    user: Attr | None = None
    healthcheck: Attr | None = None
    labels: dict[str, Attr] = field(default_factory=dict)
    shell: list[str] = field(default_factory=lambda: ["/bin/sh", "-c"])
    os: Value = "linux"
    image_user: str | None = None  # the user the base image's configuration runs as, where known
    workdir: str | None = "/"  # None: decided by a value that is not known
    env: list[EnvVar] = field(default_factory=list)
    runs: list[RunStep] = field(default_factory=list)
    copies: list[CopyStep] = field(default_factory=list)
    exposed: list[Attr] = field(default_factory=list)
    images: list[Attr] = field(default_factory=list)
    sources: set[int] = field(default_factory=set)  # the earlier stages whose files it sees: built on, copied or mounted from


class _Reader:
    """Reads one Dockerfile into stages; one instance per file."""

    def __init__(self, parsed: ParsedFile, build_args: dict[str, Value] | None = None):
        self.path = parsed.path
        self.build_args = build_args or {}  # given to the build (`--build-arg`): they replace the defaults of the ARGs that declare them
        self.dockerfile: Dockerfile = parsed.native
        self.escape = self.dockerfile.escape
        self.budget = Budget()  # shared by every expansion of this file, and of no other
        self.named_stages: dict[str, _Stage] = {}  # lower-cased name -> the latest stage so named
        # Every stage's name, the later ones' too: `COPY --from` and `RUN --mount=from`
        # look names up among all stages (a later one fails the build), never as images.
        self.stage_names = {stage_key(name) for instruction in self.dockerfile.instructions if (name := self.stage_name(instruction))}

    def stage_name(self, instruction: Instruction) -> str | None:
        """The name a `FROM ... AS name` gives its stage; None for any other instruction."""
        if instruction.keyword != "FROM":
            return None
        words = split_words(instruction.args, self.escape)
        return words[2][0] if len(words) >= 3 and words[1][0].lower() == "as" else None

    def at(self, instruction: Instruction, index: int = 0, length: int = 0) -> Location:
        line, column = instruction.position(index)
        end = instruction.position(index + length) if length else (line, column)
        return Location(self.path, line, column, end[0], end[1])

    def head(self, instruction: Instruction) -> Location:
        """The instruction's first line and column: where whole-step findings point."""
        return Location(self.path, instruction.line, instruction.column)

    def at_flag(self, instruction: Instruction, name: str) -> Location:
        flag = next(flag for flag in instruction.flags if flag.name == name)
        line, column = instruction.text_map.position(flag.offset)
        return Location(self.path, line, column)

    def stages(self) -> list[_Stage]:
        global_scope = ClosedScope({name: Unknown(name) for name in _PLATFORM_ARGS})
        stages: list[_Stage] = []
        for instruction in self.dockerfile.instructions:
            try:
                self.read(instruction, stages, global_scope)
            except BudgetExceeded as error:
                locate(error, None, instruction.line)
                raise
        if not stages:
            raise ParseError("no FROM instruction: not a Dockerfile that can be built", 1)
        return stages

    def read(self, instruction: Instruction, stages: list[_Stage], global_scope: dict[str, Value]) -> None:
        if instruction.keyword == "FROM":
            stages.append(self.start_stage(instruction, stages, global_scope))
            if stages[-1].name:
                self.named_stages[stage_key(stages[-1].name)] = stages[-1]
        elif not stages:
            if instruction.keyword != "ARG":
                raise ParseError(f"{instruction.keyword} before the first FROM", instruction.line)
            for name, raw, _, _ in key_values(instruction.args, self.escape):
                if name in self.build_args:
                    global_scope[name] = self.build_args[name]
                else:
                    global_scope[name] = Unknown(name) if raw is None else expand(raw, global_scope, self.escape, self.budget)
        else:
            self.apply(stages[-1], instruction, global_scope)

    def start_stage(self, instruction: Instruction, stages: list[_Stage], global_scope: dict[str, Value]) -> _Stage:
        words = split_words(instruction.args, self.escape)
        if not words:
            raise ParseError("FROM without an image", instruction.line)
        stage = _Stage(len(stages), instruction, self.stage_name(instruction))
        raw, start = words[0]
        location = self.at(instruction, start, len(raw))
        value = expand(raw, global_scope, self.escape, self.budget)
        if isinstance(value, str) and stage_key(value) in self.named_stages:
            stage.base = self.named_stages[stage_key(value)]
            stage.sources.add(stage.base.index)
            self.inherit(stage, stage.base)
        elif isinstance(value, str) and value.lower() == "scratch":
            stage.image = Attr(None, location)
        else:
            if not isinstance(value, str):
                self.sees_any_earlier(stage)
            image = ImageRef.parse(value) if isinstance(value, str) else None
            stage.image = Attr(image if image else Unknown(raw), location)
            stage.images.append(stage.image)
            stage.os, stage.image_user = _image_platform(image) if image else (Unknown(raw), None)
        return stage

    def inherit(self, stage: _Stage, base: _Stage) -> None:
        stage.env_values = dict(base.env_values)
        stage.scope = dict(base.scope)  # its ARGs too: a stage built on another inherits them
        stage.user, stage.healthcheck = base.user, base.healthcheck
        stage.labels = dict(base.labels)
        stage.shell, stage.os, stage.image_user, stage.workdir = list(base.shell), base.os, base.image_user, base.workdir

    def apply(self, stage: _Stage, instruction: Instruction, global_scope: dict[str, Value]) -> None:
        keyword = instruction.keyword
        if keyword in ("ENV", "ARG"):
            self.declare(stage, instruction, global_scope)
        elif keyword == "USER":
            value = expand(instruction.args.strip(), stage.scope, self.escape, self.budget)
            stage.user = Attr(value, self.at(instruction, 0, len(instruction.args)))
        elif keyword == "HEALTHCHECK":
            kind = "none" if instruction.args.strip().upper() == "NONE" else "check"
            stage.healthcheck = Attr(kind, self.head(instruction))
        elif keyword == "LABEL":
            for raw_name, raw, start, _ in key_values(instruction.args, self.escape):
                name = expand(raw_name, stage.scope, self.escape, self.budget)
                if isinstance(name, str) and raw is not None:
                    stage.labels[name] = Attr(expand(raw, stage.scope, self.escape, self.budget), self.at(instruction, start))
        elif keyword == "SHELL" and instruction.exec_form:
            stage.shell = instruction.exec_form
            program = _basename(instruction.exec_form[0])
            if program in _WINDOWS_SHELLS or program == "pwsh" and stage.os != "linux":
                stage.os = "windows"  # `pwsh` (PowerShell 7) runs on Linux too: it tells only where the image does not
        elif keyword == "EXPOSE":
            for raw, start in split_words(instruction.args, self.escape):
                stage.exposed.append(Attr(expand(raw, stage.scope, self.escape, self.budget), self.at(instruction, start, len(raw))))
        elif keyword == "WORKDIR":
            value = expand(instruction.args.strip(), stage.scope, self.escape, self.budget)
            known = isinstance(value, str) and stage.workdir is not None
            stage.workdir = posixpath.normpath(posixpath.join(stage.workdir, value)) if known else None
        elif keyword == "RUN":
            stage.runs.append(replace(self.run_step(stage, instruction), workdir=stage.workdir))
        elif keyword in ("COPY", "ADD"):
            stage.copies.append(self.copy_step(stage, instruction))

    def declare(self, stage: _Stage, instruction: Instruction, global_scope: dict[str, Value]) -> None:
        """Declare an ENV's or ARG's variables, as Docker's reference says: each value
        is expanded with the values from before the instruction, which Docker expands
        whole before it runs it (`ENV U=1000 V=$U` gives V the earlier U), and an ENV
        wins over an ARG of the same name, before it or after."""
        is_env = instruction.keyword == "ENV"
        before = dict(stage.scope)
        for name, raw, start, value_start in key_values(instruction.args, self.escape, legacy=is_env):
            location = self.at(instruction, start, len(name))
            if raw is None:
                # A bare `ARG NAME` takes the global default if there is one.
                assigned = Unknown(name) if is_env else global_scope.get(name, Unknown(name))
                declared, literal = None, False
            else:
                assigned = declared = expand(raw, before, self.escape, self.budget)
                literal = not has_reference(raw, self.escape)
            if not is_env and name in self.build_args:
                assigned = self.build_args[name]  # the value the build is given, not the default written
            if is_env:
                stage.env_values[name] = assigned
            if is_env or name not in stage.env_values:
                stage.scope[name] = assigned
            value = Attr(declared, self.at(instruction, value_start))
            stage.env.append(EnvVar(name, value, literal, location, instruction.keyword))

    def run_step(self, stage: _Stage, instruction: Instruction) -> RunStep:
        mounts = [_mount_options(value) for value in instruction.flag_values("mount")]
        targets = tuple(m.get("target") or m.get("dst") or m.get("destination") or "" for m in mounts)
        cache = tuple(target for target, m in zip(targets, mounts) if m.get("type") == "cache")
        location = self.head(instruction)
        for source in (m["from"] for m in mounts if m.get("from")):
            self.reference_image(stage, source, self.at_flag(instruction, "mount"))
        # A POSIX shell anywhere in SHELL runs the script: `["/bin/bash", "-c"]`, or
        # started by a launcher (`["/usr/bin/env", "bash", "-c"]`, `["conda", "run",
        # "-n", "app", "/bin/bash", "-c"]`).
        posix = any(_basename(word) in shell.SHELLS for word in stage.shell)
        if instruction.exec_form is not None:
            argv = instruction.exec_form
            index = shell.script_index(argv)
            if index is None:
                words = [shell.Word(word, location) for word in argv]
                return RunStep(location, " ".join(argv), ((shell.Command(words),),) if words else (), cache, mounts=targets)
            pipelines = shell.parse(argv[index], lambda offset: location)
            return RunStep(location, argv[index], tuple(tuple(p) for p in pipelines), cache, mounts=targets)
        if not posix:
            return RunStep(location, instruction.args, (), cache, mounts=targets)
        pipelines = shell.parse(instruction.args, lambda offset: self.at(instruction, offset))
        read_by_shell = shell.heredoc_scripts(instruction.args) if instruction.heredocs else []
        if len(read_by_shell) != len(instruction.heredocs):  # markers the shell reader does not see as redirects
            read_by_shell = [not pipelines or pipelines[-1][-1].program in shell.SHELLS] * len(instruction.heredocs)
        documents = []
        for heredoc, by_shell in zip(instruction.heredocs, read_by_shell):
            if _heredoc_is_script(by_shell, heredoc.body):
                locate = lambda offset, doc=heredoc: _body_location(self.path, doc, offset)  # noqa: E731
                pipelines += shell.parse(heredoc.body, locate)
            else:
                documents.append(shell.Word(heredoc.body, _body_location(self.path, heredoc, 0)))
        script = instruction.args.rstrip()
        end = None if instruction.heredocs or not script else self.at(instruction, len(script))
        return RunStep(location, instruction.args, tuple(tuple(p) for p in pipelines), cache, end=end, documents=tuple(documents), mounts=targets)

    def copy_step(self, stage: _Stage, instruction: Instruction) -> CopyStep:
        flags = {flag.name: flag.value for flag in instruction.flags}
        source = flags.get("from")
        if source:
            self.reference_image(stage, source, self.at_flag(instruction, "from"))
        if instruction.exec_form is not None:
            raw_sources = [(word, 0) for word in instruction.exec_form[:-1]]
        else:
            raw_sources = split_words(instruction.args, self.escape)[:-1]
        sources = tuple(
            Attr(expand(raw, stage.scope, self.escape, self.budget), self.at(instruction, start, len(raw))) for raw, start in raw_sources
        )
        return CopyStep(instruction.keyword, self.head(instruction), sources, flags, bool(instruction.heredocs))

    def reference_image(self, stage: _Stage, source: str, location: Location) -> None:
        """Record an image named by `COPY --from` or `RUN --mount=from=`, or the stage
        it names (by name or index). A name not known may be any earlier stage. A
        stage named here may be defined further down, which BuildKit refuses to build
        from ("needs to be defined before current stage"): it is no image, and gives
        the stage no files."""
        value = expand(source, stage.scope, self.escape, self.budget)
        if isinstance(value, str) and (value.isdigit() or stage_key(value) in self.stage_names):
            earlier = self.named_stages.get(stage_key(value))
            index = int(value) if value.isdigit() else earlier.index if earlier else stage.index
            if index < stage.index:  # an earlier stage, not this one
                stage.sources.add(index)
            return
        if not isinstance(value, str):
            self.sees_any_earlier(stage)
        image = ImageRef.parse(value) if isinstance(value, str) else None
        stage.images.append(Attr(image if image else Unknown(source), location))

    def sees_any_earlier(self, stage: _Stage) -> None:
        """A stage named by a value not known may be any earlier stage."""
        self.budget.step(stage.index)
        stage.sources.update(range(stage.index))


def normalize(parsed: ParsedFile, context: ScanContext | None = None, build_args: dict[str, Value] | None = None) -> Iterator[Resource]:
    """The stages of a Dockerfile; `build_args`, the values a build is given for its
    ARGs (a Compose service's `build.args`)."""
    reader = _Reader(parsed, build_args)
    stages = reader.stages()
    final = stages[-1]
    shipped = set()
    stage: _Stage | None = final
    while stage is not None:
        shipped.add(stage.index)
        stage = stage.base
    later = _later_stages(stages, reader.budget)
    for stage in stages:
        yield _resource(parsed.path, stage, final=stage is final, in_final_image=stage.index in shipped, later=later[stage.index])


def _later_stages(stages: list[_Stage], budget: Budget) -> list[list[_Stage]]:
    """Per stage, the later stages that see its files: built on it, copying or
    mounting from it, directly or through other stages. A long chain relates every
    stage to every other: each relation costs a step of the file's budget."""
    seen: list[set[int]] = []  # per stage, every earlier stage whose files reach it
    later: list[list[_Stage]] = [[] for _ in stages]
    for stage in stages:
        seen.append(set(stage.sources).union(*(seen[source] for source in stage.sources)))
        try:
            budget.step(len(seen[-1]))
        except BudgetExceeded as error:
            locate(error, None, stage.from_.line)
            raise
        for earlier in seen[-1]:
            later[earlier].append(stage)
    return later


def stage_key(name: str) -> str:
    """A stage's name as BuildKit looks it up for `COPY --from`, `RUN --mount=from`
    and a build's target: lower-cased, as it lower-cases the names stages are given
    (`FROM alpine AS Runtime` is `runtime`). Its `FROM Runtime` finds no stage, and
    fails as an image name with capitals: read here as the stage all the same."""
    return name.lower()


def _label(stage: _Stage) -> str:
    return stage.name or str(stage.index)


def _resource(path: str, stage: _Stage, final: bool, in_final_image: bool, later: list[_Stage]) -> Resource:
    head = Location(path, stage.from_.line, stage.from_.column)
    label = _label(stage)
    root = stage
    while root.base is not None:
        root = root.base
    attrs = {
        "stage": Attr(label, head),
        "image": stage.image or Attr(None, head, is_set=False),
        "base_stage": Attr(stage.base.name if stage.base else None, head, is_set=stage.base is not None),
        "base_image": root.image or Attr(None, head, is_set=False),
        "images": Attr(list(stage.images), head),
        "final": Attr(final, head),
        "in_final_image": Attr(in_final_image, head),
        "os": Attr(stage.os, head),
        "image_user": Attr(stage.image_user, head, is_set=stage.image_user is not None),
        "user": stage.user or Attr(None, head, is_set=False),
        "healthcheck": stage.healthcheck or Attr(None, head, is_set=False),
        "env": Attr(list(stage.env), head),
        "environment": Attr(dict(stage.scope), head),
        "labels": Attr(dict(stage.labels), head),
        "runs": Attr(list(stage.runs), head),
        "copies": Attr(list(stage.copies), head),
        "later_stages": Attr({_label(other): other.runs for other in later}, head),
        "exposed_ports": Attr(list(stage.exposed), head),
    }
    return Resource(
        kind="image_build",
        type="dockerfile/stage",
        address=f"stage/{label}",
        format="dockerfile",
        location=head,
        attrs=attrs,
        native=stage.from_,
        runtime=final,
        head_text=f"FROM AS {stage.name}" if stage.name else "FROM",  # without the image, which a bump changes
    )


def _image_platform(image: ImageRef) -> tuple[str, str | None]:
    """The image's system, and the user its configuration runs as (None: not known):
    told by the repository and the tag, never the registry's host (a registry named
    `windowsteam.azurecr.io` holds Linux images too)."""
    text = f"/{image.repository}:{image.tag or ''}".lower()
    for marker, user in _WINDOWS_VARIANTS:
        if marker.search(text):
            return "windows", user
    return "linux", published_user(image)


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")


def _mount_options(value: str) -> dict[str, str]:
    options = {}
    for item in value.split(","):
        key, _, item_value = item.partition("=")
        options[key.strip().lower()] = item_value.strip()
    return options


def _heredoc_is_script(read_by_shell: bool, body: str) -> bool:
    """A heredoc body is shell when a shell reads it (`shell.heredoc_scripts`), unless
    a shebang says which interpreter runs it."""
    first_line = body.split("\n", 1)[0]
    if first_line.startswith("#!"):
        return _interpreter(first_line[2:].split()) in shell.SHELLS
    return read_by_shell


def _interpreter(shebang: list[str]) -> str:
    """The program a shebang's words run: the first (`#!/bin/bash -e`), or what `env`
    runs (`#!/usr/bin/env -S bash -e`)."""
    if shebang and _basename(shebang[0]) == "env":
        shebang = [word for word in shebang[1:] if not word.startswith("-")]
    return _basename(shebang[0]) if shebang else ""


def _body_location(path: str, heredoc: Heredoc, offset: int) -> Location:
    """Where `offset` in a heredoc's body stands in the file (past the tabs `<<-` took)."""
    index = heredoc.body.count("\n", 0, offset)
    column = offset - (heredoc.body.rfind("\n", 0, offset) + 1) + 1
    return Location(path, heredoc.line + index, column + (heredoc.indents[index] if index < len(heredoc.indents) else 0))
