"""Container image references, parsed once for every rule and every format.

Follows the reference grammar of the distribution project: an optional registry
host (recognised by a dot, a port or `localhost` in the first path component),
a repository path, an optional `:tag` and an optional `@algorithm:hex` digest.
Docker Hub is the implicit registry, and its single-component names live under
`library/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from iacguard.model import Unknown

DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}

_COMPONENT = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")
_HOST = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A parsed image reference.

    `registry` is always set (`docker.io` when implicit); `repository` is the full
    path inside it (`library/nginx` for `nginx`).
    """

    raw: str
    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None
    registry_explicit: bool = False

    @classmethod
    def parse(cls, text: str) -> ImageRef | None:
        """Parse a reference; None when the text is not a valid reference."""
        raw = text.strip()
        rest, digest = raw, None
        if "@" in rest:
            rest, digest = rest.split("@", 1)
            if not _DIGEST.fullmatch(digest):
                return None
        registry, explicit = DOCKER_HUB, False
        first, slash, remainder = rest.partition("/")
        if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
            if not _HOST.fullmatch(first):
                return None
            registry, explicit, rest = first, True, remainder
        tag = None
        path, colon, maybe_tag = rest.rpartition(":")
        if colon and "/" not in maybe_tag:
            if not _TAG.fullmatch(maybe_tag):
                return None
            rest, tag = path, maybe_tag
        if not rest or not all(_COMPONENT.fullmatch(part) for part in rest.split("/")):
            return None
        if registry.lower() in _DOCKER_HUB_ALIASES:
            registry = DOCKER_HUB
            if "/" not in rest:
                rest = f"library/{rest}"
        return cls(raw, registry, rest, tag, digest, explicit)

    @property
    def name(self) -> str:
        """The familiar name: `nginx`, `bitnami/redis`, `myacr.azurecr.io/app`."""
        if self.registry == DOCKER_HUB:
            return self.repository.removeprefix("library/")
        return f"{self.registry}/{self.repository}"

    @property
    def basename(self) -> str:
        """The last path component: `nginx`, `sdk` for `mcr.microsoft.com/dotnet/sdk`."""
        return self.repository.rsplit("/", 1)[-1]

    @property
    def full_name(self) -> str:
        """Registry and repository, always explicit: `docker.io/library/nginx`."""
        return f"{self.registry}/{self.repository}"

    def __str__(self) -> str:
        return self.raw


def image_or_unknown(text: str) -> ImageRef | Unknown:
    """What a written image reference means to rules: the parsed reference, or an
    Unknown carrying the text when it is not a valid one (a template, a typo), so
    rules stay silent on it."""
    return ImageRef.parse(text) or Unknown(text)
