"""Image references: registries, Docker Hub defaults, tags, digests, invalid forms."""

import pytest

from iacguard.image import ImageRef

DIGEST = "sha256:" + "a" * 64


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest", "explicit"),
    [
        ("nginx", "docker.io", "library/nginx", None, None, False),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", None, False),
        ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", None, False),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None, True),
        ("index.docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", None, True),
        ("localhost/app", "localhost", "app", None, None, True),
        ("localhost:5000/team/app:1.0", "localhost:5000", "team/app", "1.0", None, True),
        ("myacr.azurecr.io/orders/api:2024.06.1", "myacr.azurecr.io", "orders/api", "2024.06.1", None, True),
        ("mcr.microsoft.com/dotnet/sdk:8.0", "mcr.microsoft.com", "dotnet/sdk", "8.0", None, True),
        (f"python:3.12-slim@{DIGEST}", "docker.io", "library/python", "3.12-slim", DIGEST, False),
        (f"ghcr.io/acme/tool@{DIGEST}", "ghcr.io", "acme/tool", None, DIGEST, True),
        ("[::1]:5000/app:dev", "[::1]:5000", "app", "dev", None, True),
    ],
)
def test_parse(text, registry, repository, tag, digest, explicit):
    ref = ImageRef.parse(text)
    assert (ref.registry, ref.repository, ref.tag, ref.digest, ref.registry_explicit) == (registry, repository, tag, digest, explicit)
    assert ref.raw == text


@pytest.mark.parametrize("text", ["", "Nginx", "nginx:", "a b", "foo:bar:baz", "nginx@sha256:short", "app:-bad", "/nginx"])
def test_invalid_references_are_rejected(text):
    assert ImageRef.parse(text) is None


def test_names():
    assert ImageRef.parse("nginx:1").name == "nginx"
    assert ImageRef.parse("nginx:1").full_name == "docker.io/library/nginx"
    assert ImageRef.parse("mcr.microsoft.com/dotnet/sdk").name == "mcr.microsoft.com/dotnet/sdk"
    assert ImageRef.parse("mcr.microsoft.com/dotnet/sdk").basename == "sdk"
