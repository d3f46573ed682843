"""Image references: registries, Docker Hub defaults, tags, digests, invalid forms."""

import pytest

from iacguard.image import ImagePattern, ImageRef

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


@pytest.mark.parametrize(
    ("pattern", "reference", "matches"),
    [
        ("registry.example.com/base/*", "registry.example.com/base/python:3.12", True),
        ("registry.example.com/base/*", "registry.example.com/base/team/python", True),  # `*` crosses `/`
        ("registry.example.com/base/*", "registry.example.com/apps/python:3.12", False),
        ("Registry.Example.COM/base/*", "registry.example.com/base/python", True),  # hosts ignore case
        ("nginx", "docker.io/library/nginx:1.27", True),  # Docker Hub, as FROM reads it
        ("bitnami/*", "bitnami/redis:7.4", True),
        ("docker.io/bitnami/redis", "index.docker.io/bitnami/redis", True),
        ("nginx", "ghcr.io/library/nginx", False),
        ("localhost:5000/app:stable-*", "localhost:5000/app:stable-2", True),
        ("localhost:5000/app:stable-*", "localhost:5000/app:dev", False),
        ("gcr.io/distroless/*:nonroot", "gcr.io/distroless/static", False),  # implicit latest
        ("gcr.io/distroless/*:latest", "gcr.io/distroless/static", True),
        ("gcr.io/distroless/*:nonroot", f"gcr.io/distroless/static:nonroot@{DIGEST}", True),
        ("gcr.io/distroless/*:nonroot", f"gcr.io/distroless/static@{DIGEST}", False),  # tag not known
        ("gcr.io/distroless/*", f"gcr.io/distroless/static@{DIGEST}", True),
        ("myorg/runtime:*-NONROOT", "myorg/runtime:1-nonroot", False),  # tags are case-sensitive
    ],
)
def test_image_patterns(pattern, reference, matches):
    assert ImagePattern.parse(pattern).matches(ImageRef.parse(reference)) is matches


@pytest.mark.parametrize("text", ["", "a b", "nginx:", ":tag", f"nginx@{DIGEST}", "base/*\n", "x" * 513])
def test_invalid_image_patterns_say_why(text):
    with pytest.raises(ValueError):
        ImagePattern.parse(text)


def test_image_patterns_show_as_written():
    assert repr(ImagePattern.parse("myorg/*:1")) == "ImagePattern(text='myorg/*:1')"
