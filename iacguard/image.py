"""Container image references, parsed once for every rule and every format.

Follows the reference grammar of the distribution project: an optional registry
host (recognised by a dot, a port or `localhost` in the first path component),
a repository path, an optional `:tag` and an optional `@algorithm:hex` digest.
Docker Hub is the implicit registry, and its single-component names live under
`library/`.
"""

from __future__ import annotations

import re
from fnmatch import translate
from functools import cached_property

from iacguard.lazy import regex
from iacguard.model import Unknown
from iacguard.structs import field, struct

DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}

_COMPONENT = regex(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = regex(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")
_HOST = regex(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?")


@struct(frozen=True, slots=True)
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
        registry, explicit, rest = _split_registry(rest)
        if explicit and not _HOST.fullmatch(registry):
            return None
        rest, tag = _split_tag(rest)
        if tag is not None and not _TAG.fullmatch(tag):
            return None
        if not rest or not all(_COMPONENT.fullmatch(part) for part in rest.split("/")):
            return None
        registry, rest = _on_docker_hub(registry, rest)
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


@struct(frozen=True)
class ImagePattern:
    """An image name pattern with an optional tag pattern, as configuration writes
    it: `registry.example.com/base/*`, `gcr.io/distroless/*:nonroot`,
    `bitnami/nginx:*-debian-12-*`.

    The name is read as `FROM` reads a reference: without a registry host it is on
    Docker Hub (`nginx` is `docker.io/library/nginx`), and it is matched against the
    image's registry and repository. `*` matches any run of characters, `/` included;
    `?` one character; `[...]` one of a set. Without a tag pattern every tag matches;
    with one, a reference without a tag has Docker's implicit `latest`, and one
    pinned by digest alone matches no tag pattern (its tag cannot be known).
    """

    text: str
    name_glob: str = field(repr=False, compare=False)  # `registry/repository`, lower case
    tag_glob: str | None = field(repr=False, compare=False)

    # The globs are compiled when first matched, after a look at the name's literal
    # start: a check of one Dockerfile then compiles none of the many patterns of the
    # base image table, which cost a tenth of its start-up.
    @cached_property
    def name(self) -> re.Pattern:
        return re.compile(translate(self.name_glob))

    @cached_property
    def tag(self) -> re.Pattern | None:
        return re.compile(translate(self.tag_glob)) if self.tag_glob is not None else None

    @cached_property
    def _literal_start(self) -> str:
        return _WILDCARD.split(self.name_glob, 1)[0]

    @classmethod
    def parse(cls, text: str) -> ImagePattern:
        """Compile a pattern; ValueError says why the text is not one."""
        if len(text) > _MAX_PATTERN:
            raise ValueError(f"is longer than {_MAX_PATTERN} characters")
        if "@" in text:
            raise ValueError("names a digest: write the name, and the tag if it matters")
        name, tag = _split_tag(text)
        if not _NAME_PATTERN.fullmatch(name) or (tag is not None and not _TAG_PATTERN.fullmatch(tag)):
            raise ValueError("is not NAME or NAME:TAG (letters, digits, . _ - / :, and the wildcards * ? [...])")
        registry, _, path = _split_registry(name.lower())
        registry, path = _on_docker_hub(registry, path)
        return cls(text, f"{registry}/{path}", tag)

    def matches(self, ref: ImageRef) -> bool:
        full_name = ref.full_name.lower()
        if not full_name.startswith(self._literal_start) or not self.name.match(full_name):
            return False
        if self.tag is None:
            return True
        tag = ref.tag or (None if ref.digest else "latest")
        return tag is not None and self.tag.match(tag) is not None

    def __str__(self) -> str:
        return self.text


_MAX_PATTERN = 512
_WILDCARD = regex(r"[*?\[]")
_NAME_PATTERN = regex(r"[A-Za-z0-9._/:*?\[\]!-]+")
_TAG_PATTERN = regex(r"[A-Za-z0-9_.*?\[\]!-]+")


def _split_registry(name: str) -> tuple[str, bool, str]:
    """(registry, written explicitly, path): the first component names a registry
    host when it holds a dot or a port, is `localhost`, or has capitals."""
    first, slash, remainder = name.partition("/")
    if slash and ("." in first or ":" in first or first == "localhost" or first != first.lower()):
        return first, True, remainder
    return DOCKER_HUB, False, name


def _split_tag(name: str) -> tuple[str, str | None]:
    """(name, tag): the tag follows the last colon that no `/` comes after (the colon
    of a registry port always has one)."""
    path, colon, tag = name.rpartition(":")
    return (path, tag) if colon and "/" not in tag else (name, None)


def _on_docker_hub(registry: str, path: str) -> tuple[str, str]:
    """Docker Hub under its one name, its single-component names under `library/`."""
    if registry.lower() not in _DOCKER_HUB_ALIASES:
        return registry, path
    return DOCKER_HUB, path if "/" in path else f"library/{path}"


def image_or_unknown(text: str) -> ImageRef | Unknown:
    """What a written image reference means to rules: the parsed reference, or an
    Unknown carrying the text when it is not a valid one (a template, a typo), so
    rules stay silent on it."""
    return ImageRef.parse(text) or Unknown(text)
