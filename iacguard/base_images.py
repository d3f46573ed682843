"""Public base images whose published configuration runs as a non-root user.

iacguard never pulls an image, so the user an image's configuration sets (`USER`
in its Dockerfile, `run-as` in an apko file, `user` in a Bazel rule) is known only
for images listed here. A Dockerfile stage built on one of them runs as that user
until it says otherwise. Each entry was read from the image's own build definition
or documentation, named in `source`; an image or tag that is not listed is simply
not known, which is not the same as known to run as root.

Left out on purpose: the .NET 8+ images other than chiseled and distroless
(`mcr.microsoft.com/dotnet/aspnet:8.0`, `...:8.0-alpine`, ...) create the `app` user
(UID 1654) but do not switch to it, so they run as root; distroless `latest` and
`debug` tags run as root; Chainguard images whose `run-as` is root (`go`, `wolfi-base`,
`postgres`, ...), for both their `latest` and `latest-dev` tags; Bitnami tags from
before an image's move to a non-root user (`bitnami/nginx` 1.8 and `bitnami/redis`
3.2 ran as root), hence only `latest` and the Debian 10 to 12 builds.

Bump `TABLE_VERSION` with every change; the rule's documentation names it.
"""

from __future__ import annotations

from iacguard.image import ImagePattern, ImageRef
from iacguard.structs import struct

TABLE_VERSION = "2026-11-26"


@struct(frozen=True)
class NonRootImage:
    """Images (name and tag patterns) that run as `user`, and where that is written."""

    family: str
    patterns: tuple[ImagePattern, ...]
    user: str
    source: str


def _entry(family: str, names: tuple[str, ...], tags: tuple[str, ...], user: str, source: str) -> NonRootImage:
    patterns = tuple(ImagePattern.parse(f"{name}:{tag}") for name in names for tag in tags)
    return NonRootImage(family, patterns, user, source)


_CHAINGUARD_NON_ROOT = (
    "static", "glibc-dynamic", "busybox", "python", "node", "ruby", "php", "jre", "jdk", "maven",
    "gradle", "rust", "dotnet-runtime", "dotnet-sdk", "aspnet-runtime", "nginx", "curl",
)

NON_ROOT_IMAGES: tuple[NonRootImage, ...] = (
    _entry(
        "Distroless",
        ("gcr.io/distroless/*",),
        ("nonroot", "nonroot-*", "debug-nonroot", "debug-nonroot-*"),
        "65532",
        "https://github.com/GoogleContainerTools/distroless/blob/main/BUILD (VARIANTS) and common/variables.bzl (NONROOT)",
    ),
    _entry(
        ".NET chiseled and distroless",
        tuple(f"mcr.microsoft.com/dotnet/{name}" for name in ("runtime-deps", "runtime", "aspnet")),
        ("*-chiseled", "*-chiseled-*", "*-distroless", "*-distroless-*"),
        "1654",
        "https://github.com/dotnet/dotnet-docker/blob/main/documentation/distroless.md",
    ),
    _entry(
        "Chainguard",
        tuple(f"cgr.dev/chainguard/{name}" for name in _CHAINGUARD_NON_ROOT),
        ("*",),
        "65532",
        "https://github.com/chainguard-images/images/tree/main/images (run-as in each locked_config.json, latest and latest-dev)",
    ),
    _entry(
        "Bitnami",
        ("bitnami/nginx", "bitnami/redis"),
        ("latest", "*-debian-1[0-2]-r*"),
        "1001",
        "https://github.com/bitnami/containers/tree/main/bitnami (USER 1001 in each Dockerfile)",
    ),
    _entry(
        "NGINX unprivileged",
        ("nginxinc/nginx-unprivileged", "ghcr.io/nginxinc/nginx-unprivileged", "public.ecr.aws/nginx/nginx-unprivileged"),
        ("*",),
        "101",
        "https://github.com/nginxinc/docker-nginx-unprivileged (USER 101 in each Dockerfile)",
    ),
)


def published_user(image: ImageRef) -> str | None:
    """The non-root user the image's published configuration runs as, or None when
    the image is not in the table."""
    return next((entry.user for entry in NON_ROOT_IMAGES if any(p.matches(image) for p in entry.patterns)), None)
