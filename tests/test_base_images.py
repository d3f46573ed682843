"""The table of public images known to run as a non-root user, and how IG201 reads it."""

import pytest

from iacguard.base_images import NON_ROOT_IMAGES, TABLE_VERSION, published_user
from iacguard.image import ImageRef
from iacguard.plugins import load_registry

IG201 = load_registry(autoload=False).find_rule("IG201")


@pytest.mark.parametrize(
    ("reference", "user"),
    [
        ("gcr.io/distroless/static-debian12:nonroot", "65532"),
        ("gcr.io/distroless/java21-debian12:debug-nonroot-arm64", "65532"),
        ("gcr.io/distroless/static-debian12", None),
        ("gcr.io/distroless/base-debian12:debug", None),
        ("mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled-extra", "1654"),
        ("mcr.microsoft.com/dotnet/aspnet:9.0-azurelinux3.0-distroless-amd64", "1654"),
        ("mcr.microsoft.com/dotnet/aspnet:8.0", None),
        ("mcr.microsoft.com/dotnet/sdk:8.0-noble", None),
        ("cgr.dev/chainguard/python:latest-dev", "65532"),
        ("cgr.dev/chainguard/go:latest-dev", None),
        ("cgr.dev/chainguard/wolfi-base", None),
        ("bitnami/nginx:1.25.4-debian-12-r5", "1001"),
        ("bitnami/nginx:1.8", None),
        ("nginxinc/nginx-unprivileged:1.27-alpine", "101"),
        ("nginx:1.27", None),
    ],
)
def test_published_users(reference, user):
    assert published_user(ImageRef.parse(reference)) == user


@pytest.mark.parametrize("entry", NON_ROOT_IMAGES, ids=lambda entry: entry.family)
def test_every_entry_is_non_root_sourced_and_documented(entry):
    assert entry.user not in ("0", "root") and entry.patterns
    assert entry.source.startswith("https://")
    assert f"- {entry.family}:" in IG201.doc


def test_the_documentation_names_the_table_version():
    assert f"Table version {TABLE_VERSION}" in IG201.doc
