from iacguard import ImageRef, problem, rule


@rule(
    code="IG101",
    name="image-tag-not-pinned",
    severity="medium",
    kinds=("image_build", "container", "web_app"),
    tags=("image", "supply-chain"),
    references={
        "hadolint": ["DL3006", "DL3007"],
        "checkov": ["CKV_DOCKER_7", "CKV_K8S_14"],
        "kube-linter": ["latest-tag"],
        "trivy": ["DS001", "KSV013"],
    },
)
def check(resource, options):
    """An image is referenced without a tag, or with the `latest` tag.

    ## What it checks
    Every image a resource names: a Dockerfile's `FROM` (after build arguments are
    expanded) and `COPY --from`/`RUN --mount=from=` images, the image of every
    Kubernetes container (init and ephemeral containers included), of every Azure
    Container Instances container, and of App Service container apps. A reference passes when
    it carries a digest (`@sha256:...`) or a tag other than `latest`. `scratch` and
    build stages are not images and are never reported (`COPY --from` and
    `--mount=from=` look a name up among all the file's stages, the later ones
    too, whatever its case; `FROM` among the earlier ones); an image whose name
    comes from a build argument without default is unknown and not reported.

    ### Docker Compose
    A service's `image:`, after interpolation (`${TAG:-latest}` counts as
    written). A service with `build:` runs the image it builds, and its `image:`
    only names that build: it is not checked.

    ## Why it matters
    `latest` (which is also what a missing tag means) moves: the same file builds or
    runs different software from one day to the next, a rollback cannot restore the
    previous state, and a compromised upstream release is picked up silently.

    ## How to fix
    Pin a version tag (`python:3.12.4-slim`), or better a digest, and update it on
    purpose (Dependabot and Renovate both maintain such pins).

    ## Example
    Fails: `FROM node` and `FROM node:latest`. Passes: `FROM node:22.4-alpine` and
    `FROM node@sha256:...`.
    """
    for image in resource.value("images") or ():
        ref = image.value
        if not isinstance(ref, ImageRef) or ref.digest:
            continue
        if ref.tag is None:
            yield problem(image, f"image {ref.name} has no tag, so it means whatever `latest` is when pulled; pin a version or digest")
        elif ref.tag == "latest":
            yield problem(image, f"image {ref.name} uses the mutable `latest` tag; pin a version or digest")
