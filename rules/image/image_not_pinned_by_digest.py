from iacguard import ImageRef, problem, rule


@rule(
    code="IG102",
    name="image-not-pinned-by-digest",
    severity="low",
    kinds=("image_build", "container", "web_app"),
    enabled=False,
    tags=("image", "supply-chain"),
    references={"checkov": ["CKV_K8S_43"], "kube-linter": ["latest-tag"]},
)
def check(resource, options):
    """An image is referenced by tag only, without an `@sha256:` digest.

    ## What it checks
    Every image a resource names (see IG101) must carry a content digest. Images
    whose name cannot be resolved are not reported.

    ### Docker Compose
    A service's `image:`, after interpolation; a service with `build:` names
    the image it builds and is not checked.

    ## Why it matters
    Tags are mutable even when they look like versions: a registry owner (or an
    attacker with push access) can move `3.12` to different content. Only a digest
    names exactly one image, so builds and deployments are reproducible and a
    tampered image cannot slip in under a known tag.

    ## Why this default
    Off by default: a digest must be updated on every base image release, which
    takes update tooling to keep up. Enable it with `select: [all, IG102]` where
    such tooling keeps digests current.

    ## How to fix
    Append the digest of the image you tested: `python:3.12-slim@sha256:<digest>`
    (`docker buildx imagetools inspect python:3.12-slim` prints it). Keep the tag for
    readability; the digest wins when both are present.

    ## Example
    Fails: `FROM python:3.12-slim`. Passes: `FROM python:3.12-slim@sha256:2f1e...`.
    """
    for image in resource.value("images") or ():
        ref = image.value
        if isinstance(ref, ImageRef) and not ref.digest:
            yield problem(image, f"image {ref.raw} is not pinned by digest")
