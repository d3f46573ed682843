from fnmatch import fnmatchcase

from iacguard import ImageRef, Option, problem, rule


@rule(
    code="IG103",
    name="image-from-unapproved-registry",
    severity="high",
    kinds=("image_build", "container", "web_app"),
    tags=("image", "supply-chain"),
    references={"trivy": ["KSV032", "KSV033", "KSV035"]},
    options=(
        Option(
            "allowed_registries",
            list,
            [],
            "registries (or registry/path prefixes) images may come from, e.g. myacr.azurecr.io, "
            "*.azurecr.io, ghcr.io/my-org, docker.io; empty disables the rule",
        ),
    ),
)
def check(resource, options):
    """An image comes from a registry that is not on the organisation's allow-list.

    ## What it checks
    Active once `allowed_registries` is configured. Every image a resource names
    (see IG101) must come from one of the entries: a registry host (`myacr.azurecr.io`),
    a host pattern (`*.azurecr.io`) or a registry path prefix (`ghcr.io/my-org`). An
    image without a registry comes from Docker Hub and matches only `docker.io` (or a
    prefix such as `docker.io/library`).

    ### Docker Compose
    A service's `image:`, after interpolation; a service with `build:` names
    the image it builds and is not checked.

    ## Why it matters
    Registries you do not control are outside your scanning, signing and retention
    policies. Pulling only from approved (usually private, mirrored) registries keeps
    every image that runs subject to those controls.

    ## How to fix
    Mirror the image into an approved registry and reference it there, or add the
    registry to `allowed_registries` if it should be trusted.

    ## Example
    With `allowed_registries: [myacr.azurecr.io]`, `FROM nginx:1.27` fails and
    `FROM myacr.azurecr.io/mirror/nginx:1.27` passes.
    """
    allowed = options.allowed_registries
    if not allowed:
        return
    for image in resource.value("images") or ():
        ref = image.value
        if isinstance(ref, ImageRef) and not any(_allows(entry, ref) for entry in allowed):
            yield problem(image, f"image {ref.name} comes from {ref.registry}, which is not an allowed registry")


def _allows(entry: str, ref: ImageRef) -> bool:
    entry = entry.strip().rstrip("/").lower()
    registry = ref.registry.lower()
    if "/" not in entry:
        return fnmatchcase(registry, entry)
    host, _, prefix = entry.partition("/")
    path = ref.repository.lower()
    return fnmatchcase(registry, host) and (path == prefix or path.startswith(prefix + "/"))
