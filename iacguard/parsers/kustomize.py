"""Kustomize: a folder whose `kustomization.yaml` (or `kustomization.yml`, or
`Kustomization`) says how to build Kubernetes objects from other files.

The format claims those files by name; they are YAML, read by the same positional
parser as manifests. What a kustomization builds is assembled by
`iacguard.evaluators.kustomize`, and which kustomizations a scan builds (the top
overlays, not the bases they share) by `iacguard.kustomize_plan`. `Kustomization`
is the one reading of a kustomization's fields that both use: each entry with its
position, and the files and folders it pulls in.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from iacguard.formats import Claim, ParsedFile
from iacguard.inputs import from_real_folder
from iacguard.structs import struct

if TYPE_CHECKING:  # loaded on first use: a scan of other files does not pay for them
    from iacguard.parsers.documents import Mark, YMap

KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
# Fields naming files whose content configures a transformer or generator that is not
# applied (see the evaluator); the files belong to the kustomization all the same.
CONFIGURATION_FIELDS = ("transformers", "generators", "validators", "configurations", "crds")


def kustomization_file(folder: str) -> str | None:
    """The kustomization file of a folder, in the order kustomize looks for it."""
    for name in KUSTOMIZATION_FILES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    return None


def is_remote(reference: str) -> bool:
    """True for a resource kustomize would fetch: a URL, or a git repository named
    the ways kustomize accepts (`github.com/org/repo//path?ref=v1`, `git@host:...`)."""
    return "://" in reference or "?ref=" in reference or reference.startswith(("git@", "git::", "github.com/", "gitlab.com/", "bitbucket.org/"))


def is_inline(entry: str) -> bool:
    """True when a `patchesStrategicMerge` entry is a patch written in place rather
    than a file name (kustomize takes an entry that parses as an object for a patch)."""
    return "\n" in entry or ": " in entry


class KustomizeFormat:
    name = "kustomize"
    label = "Kustomize"
    # What a kustomization builds are Kubernetes objects, made into the resources of
    # the Kubernetes format (and checked by its fixtures); this format adds none.
    kinds: tuple[str, ...] = ()
    renders = "kubernetes"

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename in KUSTOMIZATION_FILES else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def users(self, changed, tree, parts_only=False):
        """The kustomizations that build `changed` (see `iacguard.kustomize_plan`)."""
        from iacguard.kustomize_plan import users

        return users(self, changed, tree, parts_only)

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers.kubernetes import KubernetesFormat

        parsed = KubernetesFormat().parse(text, path)
        parsed.format = self.name
        return parsed


@struct(frozen=True)
class Reference:
    """A file or folder a kustomization pulls in: `use` says how (resource,
    component, patch, generator input, configuration), `path` is relative to the
    working directory like the kustomization's own, `mark` is where it is named."""

    use: str
    path: str
    mark: Mark


@struct
class Kustomization:
    """The fields of one kustomization file, read as kustomize reads them. Every
    position it gives names the file."""

    path: str
    root: YMap

    @classmethod
    def from_parsed(cls, parsed: ParsedFile) -> Kustomization:
        documents = parsed.native.documents
        return cls.of(parsed.path, documents[0].root if documents else None)

    @classmethod
    def of(cls, path: str, root: Any) -> Kustomization:
        from iacguard.parsers.documents import YMap

        return cls(path, root if isinstance(root, YMap) else YMap())

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)

    @property
    def is_component(self) -> bool:
        return self.root.get("kind") == "Component"

    def local(self, reference: str) -> str:
        """A path the kustomization names, relative to the working directory, found
        from the kustomization's real folder as kustomize finds it
        (`inputs.from_real_folder`): through a link to the folder, `../base` is the
        real folder's sibling."""
        return from_real_folder(self.folder, reference)

    def at(self, mark: Mark | None) -> Mark:
        """A position in this file (the file's start without one)."""
        from iacguard.parsers.documents import Mark

        return Mark(mark.line, mark.column, self.path) if mark is not None else Mark(1, 1, self.path)

    def mark(self, field: str, mapping: Any = None) -> Mark:
        """Where the value of `field` of `mapping` (the top level by default) is written."""
        mapping = self.root if mapping is None else mapping
        return self.at(getattr(mapping, "value_marks", {}).get(field) or getattr(mapping, "mark", None))

    def items(self, field: str, mapping: Any = None) -> list[tuple[Any, Mark]]:
        """The entries of a list field, each with its position (a field written as
        one string counts as a list of it, as kustomize allows for some)."""
        from iacguard.parsers.documents import YMap, YSeq

        mapping = self.root if mapping is None else mapping
        value = mapping.get(field) if isinstance(mapping, YMap) else None
        if isinstance(value, YSeq):
            return [(item, self.at(mark)) for item, mark in zip(value, value.item_marks) if item is not None]
        if isinstance(value, str):
            return [(value, self.mark(field, mapping))]
        return []

    def text_items(self, field: str, mapping: Any = None) -> list[tuple[str, Mark]]:
        return [(item, mark) for item, mark in self.items(field, mapping) if isinstance(item, str)]

    def references(self) -> Iterator[Reference]:
        """Every local file or folder the kustomization names (remote ones are not
        local: see `is_remote`)."""
        for field in ("resources", "bases"):
            for entry, mark in self.text_items(field):
                if not is_remote(entry):
                    yield Reference("resource", self.local(entry), mark)
        for entry, mark in self.text_items("components"):
            if not is_remote(entry):
                yield Reference("component", self.local(entry), mark)
        for entry, mark in self.text_items("patchesStrategicMerge"):
            if not is_inline(entry):
                yield Reference("patch", self.local(entry), mark)
        for field, use in (("patches", "patch"), ("patchesJson6902", "patch"), ("replacements", "configuration")):
            for entry, _ in self.items(field):
                if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                    yield Reference(use, self.local(entry["path"]), self.mark("path", entry))
        for field in ("configMapGenerator", "secretGenerator"):
            for generator, _ in self.items(field):
                for _, path, mark in self.generator_files(generator):
                    yield Reference("generator input", path, mark)
        for field in CONFIGURATION_FIELDS:
            for entry, mark in self.text_items(field):
                if not is_inline(entry) and not is_remote(entry):
                    yield Reference("configuration", self.local(entry), mark)

    def generator_files(self, generator: Any) -> Iterator[tuple[str | None, str, Mark]]:
        """The files a ConfigMap or Secret generator reads: (key, path, where named)
        for `files` (`KEY=PATH` or `PATH`), (None, path, ...) for `envs` and `env`."""
        if not isinstance(generator, dict):
            return
        for entry, mark in self.text_items("files", generator):
            key, separator, path = entry.partition("=")
            yield (key, self.local(path), mark) if separator else (os.path.basename(entry), self.local(entry), mark)
        for field in ("envs", "env"):
            for entry, mark in self.text_items(field, generator):
                yield None, self.local(entry), mark
