from fnmatch import fnmatchcase

from iacguard import ImageRef, Option, problem, rule

FULL_IMAGES = [
    "ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "oraclelinux",
    "opensuse/leap", "opensuse/tumbleweed", "archlinux", "buildpack-deps",
    "python", "node", "golang", "ruby", "php", "perl", "rust", "openjdk", "maven", "gradle",
    "registry.access.redhat.com/ubi*/ubi", "mcr.microsoft.com/dotnet/sdk",
    "mcr.microsoft.com/windows/servercore", "mcr.microsoft.com/windows/server", "mcr.microsoft.com/windows",
]
LEAN_MARKERS = ["alpine", "slim", "distroless", "chainguard", "wolfi", "minimal", "micro", "busybox", "chiseled", "nanoserver"]


@rule(
    code="IG104",
    name="base-image-not-lean",
    severity="low",
    kinds=("image_build",),
    runtime_only=True,
    tags=("image", "dockerfile"),
    options=(
        Option("full_images", list, FULL_IMAGES, "image names (glob patterns) that are full distributions"),
        Option("lean_markers", list, LEAN_MARKERS, "words in a name or tag that mark a lean variant"),
    ),
)
def check(resource, options):
    """The shipped image is built on a full Linux distribution rather than a lean base.

    ## What it checks
    The base image at the root of the final stage (following `FROM <stage>` chains)
    fails when its name is one of `full_images` (ubuntu, debian, centos, fedora, the
    default variants of language images such as `python` or `node`, ...) and neither
    the last part of its name nor its tag contains one of `lean_markers` (alpine, slim,
    distroless, chainguard, chiseled, ...). The registry host and the folders before
    the last part never count: `mcr.microsoft.com` holds "micro", and that says nothing
    about the image. `scratch`, images not on either list, and images whose name or
    tag is unknown are not reported. Builder stages are not reported: only the final
    image ships.

    ## Why it matters
    A full distribution brings hundreds of packages the application never uses: each
    one is attack surface, a source of vulnerability findings to triage, and image
    size to pull on every node.

    ## How to fix
    Build in a full image if needed, then copy the result into a lean runtime stage:
    `-slim` or `-alpine` variants, distroless, chiseled or Chainguard images, or
    `scratch` for static binaries.

    ## Example
    Fails: a final stage `FROM python:3.12`. Passes: `FROM python:3.12-slim`, or a
    `golang:1.22` builder followed by `FROM gcr.io/distroless/static`.
    """
    base = resource.attr("base_image")
    ref = base.value
    if not isinstance(ref, ImageRef):
        return
    text = f"{ref.basename}:{ref.tag or ''}".lower()  # never the registry host
    if any(marker.lower() in text for marker in options.lean_markers):
        return
    if any(fnmatchcase(ref.name.lower(), pattern.lower()) for pattern in options.full_images):
        yield problem(base, f"the final image is based on {ref.raw}, a full distribution; use a slim, alpine or distroless base")
