from iacguard import ImagePattern, ImageRef, Option, problem, rule, set_to, unsafe_fix
from iacguard.model import Related
from iacguard.structs import replace
from iacguard.users import uid_of


@rule(
    code="IG201",
    name="container-runs-as-root",
    severity="high",
    kinds=("image_build", "container"),
    formats=("dockerfile", "kubernetes", "arm", "bicep", "compose"),
    runtime_only=True,
    tags=("runtime", "dockerfile", "kubernetes"),
    references={
        "hadolint": ["DL3002"],
        "checkov": ["CKV_DOCKER_3", "CKV_DOCKER_8", "CKV_K8S_23", "CKV_K8S_40"],
        "kube-linter": ["run-as-non-root"],
        "trivy": ["DS002", "KSV012"],
    },
    fix=unsafe_fix("kubernetes"),
    options=(
        Option(
            "non_root_images",
            list,
            [],
            "base images whose configuration sets a non-root USER, as NAME or NAME:TAG glob patterns "
            "(e.g. registry.example.com/base/*, myorg/runtime:*-nonroot); see Known non-root base images",
            item=ImagePattern.parse,
        ),
    ),
)
def check(resource, options):
    """The container runs as root.

    ## What it checks
    For a Dockerfile, the effective user of the final stage: the last `USER` of the
    stage or of the stages it is built on. It fails when the user is `root` or UID `0`
    (`USER 0:0`, `USER root:app`, and `USER 0000` or `USER +0`, which the runtime reads
    as the number 0), whatever the base image but a known Windows one (Windows has
    neither a `root` account nor UIDs): on a base whose system is unknown, one named
    by a build argument without default included, such a user is taken as a Linux
    one. Without any `USER`, the image runs as the user its base
    image's configuration sets, root unless the base says otherwise: it passes when the
    base image at the root of the stage chain is a known non-root image (below) or
    matches the `non_root_images` option, and fails otherwise, `FROM scratch` included.
    A user given by a build argument without default is not reported, nor is a final
    stage without `USER` whose base image's name is unknown. The base image must be
    named in the Dockerfile: which image another Dockerfile in the repository builds is
    decided outside both files (`docker build -t`, CI), so it is not followed. Windows
    images are told by their name or tag (`nanoserver`, `servercore`,
    `windowsservercore`, `ltsc2022`, ...): Nano Server runs as `ContainerUser` and
    passes without `USER`; Server Core and the full Windows images run as
    `ContainerAdministrator`, so a final stage on them fails without a `USER`, as does
    an explicit `USER ContainerAdministrator` on any Windows image.

    For a Kubernetes container, the effective security context (the container's
    settings over the pod's): it fails when neither `runAsNonRoot: true` nor a
    non-zero `runAsUser` is set, or when `runAsUser: 0` is set (which also makes a
    `runAsNonRoot: true` pod fail to start). A pod in a user namespace of its own
    (`hostUsers: false`) is judged the same: its root maps to an unprivileged user
    of the node only where the API server has the feature (on by default since
    Kubernetes 1.33; an older one drops the field) and the node's runtime and
    kernel support it, and the Restricted Pod Security Standard still asks such a
    pod for `runAsNonRoot` unless the alpha `UserNamespacesPodSecurityStandards`
    feature gate is on. A container of a Windows pod
    (`spec.os.name: windows`, or without it a node selector `kubernetes.io/os:
    windows`) has no UID: the effective `windowsOptions.runAsUserName` decides, and
    `ContainerAdministrator` (the administrator, which the kubelet takes for root)
    fails while any other user (`ContainerUser`) passes; without it,
    `runAsNonRoot: true` passes, since the kubelet then refuses to start an image
    that runs as `ContainerAdministrator`. For Azure Container Instances in ARM
    and Bicep, whose API has `securityContext.runAsUser` (and no `runAsNonRoot`:
    a non-zero user is the only way), the same applies to it (Terraform's azurerm
    cannot set it, so Terraform is not checked).

    ### Docker Compose
    A service's `user:`: `root` or UID 0 (`0`, `0000`, `0:GID`) fails; a non-zero UID or
    any other name passes. Without `user:` the container runs as its image's user. For a
    service that builds its image (`build:`), the Dockerfile of the build context
    (`dockerfile:`, the `target:` stage, its name matched whatever its case as BuildKit
    matches it, else the last) decides as above, and the finding points at the service
    with the Dockerfile's line as a related location. A Dockerfile written in the
    compose file (`dockerfile_inline:`) decides the same way, its related location the
    compose file's line of the inline text (the line of `dockerfile_inline:` when the
    text is not a literal `|` block). A remote build context (a URL, `git@...`,
    `github.com/...`) is never fetched: nothing is reported, and a `not-fetched` note
    (IG006, shown with `-v`) says so. For a pulled image the compose file does not say:
    nothing is reported.

    ## Why it matters
    Root in a container is root on the host's kernel: a process escape, a writable
    host mount or a kernel bug turns into full control of the node. Running as an
    unprivileged user contains the damage and is required by restricted Pod Security
    and most platform policies.

    ## How to fix
    Create an unprivileged user and switch to it at the end of the final stage, for
    example `RUN useradd --uid 10001 app` then `USER 10001`. Distroless images provide
    a `nonroot` user. When your own base image already sets a non-root user, either
    repeat it with `USER` (which also documents it) or list the base in
    `non_root_images`. In Kubernetes, set `runAsNonRoot: true` and a `runAsUser`
    above 0 in the pod's `securityContext` (on a Windows pod,
    `windowsOptions: {runAsUserName: ContainerUser}` instead of `runAsUser`).

    In Kubernetes the fix sets `runAsNonRoot: true` in the container's
    `securityContext` (not where `runAsUser: 0` is written: that needs a user
    chosen). It is unsafe: the kubelet refuses to start a container whose image
    runs as root, or names its user rather than a numeric UID, until a `runAsUser`
    is set too.

    ## Example
    Fails: a final stage without `USER` on `alpine:3.20`, `gcr.io/distroless/static:latest`
    or `cgr.dev/chainguard/go:latest-dev` (which run as root); any final stage ending
    with `USER root`; a container with `securityContext: {runAsUser: 0}`. Passes: a
    final stage ending with `USER 10001:10001`; one without `USER` on
    `gcr.io/distroless/static-debian12:nonroot`; with
    `non_root_images: [registry.example.com/base/*]`, one on
    `registry.example.com/base/python:3.12`; a pod with
    `securityContext: {runAsNonRoot: true, runAsUser: 10001}`.

    ## Known non-root base images
    Table version 2026-11-26 (`iacguard/base_images.py`, each entry with the build
    file or documentation it was read from). Tags are glob patterns:

    - Distroless: `gcr.io/distroless/*` tagged `nonroot`, `nonroot-<arch>`,
      `debug-nonroot`, `debug-nonroot-<arch>` (UID 65532). `latest` and `debug` run as root.
    - .NET chiseled and distroless: `mcr.microsoft.com/dotnet/runtime-deps`, `runtime`
      and `aspnet` tagged `*-chiseled[-*]` or `*-distroless[-*]` (`app`, UID 1654).
      The other .NET 8+ images create `app` but do not switch to it: they run as root.
    - Chainguard: `cgr.dev/chainguard/` `static`, `glibc-dynamic`, `busybox`, `python`,
      `node`, `ruby`, `php`, `jre`, `jdk`, `maven`, `gradle`, `rust`, `dotnet-runtime`,
      `dotnet-sdk`, `aspnet-runtime`, `nginx`, `curl`, any tag, `-dev` included (UID
      65532). Images whose `-dev` and plain tags run as root (`go`, `wolfi-base`,
      `postgres`, ...) are not listed.
    - Bitnami: `bitnami/nginx` and `bitnami/redis` tagged `latest` or
      `*-debian-1[0-2]-r*` (UID 1001); their oldest releases ran as root.
    - NGINX unprivileged: `nginxinc/nginx-unprivileged` (also on `ghcr.io/nginxinc/`
      and `public.ecr.aws/nginx/`), any tag (UID 101).

    `non_root_images` adds an organisation's own bases, as `NAME` or `NAME:TAG`
    patterns. The name is read as `FROM` reads it (without a registry host it is on
    Docker Hub: `nginx` is `docker.io/library/nginx`) and matched against registry
    and repository: `*` matches any run of characters, `/` included, `?` one
    character, `[...]` one of a set. Without a tag pattern every tag matches; with
    one, an untagged reference is `latest`, and one pinned by digest alone matches
    none. A pattern that is not of this form is a configuration error.
    """
    if resource.kind == "container":
        yield from _container(resource, options.non_root_images)
    else:
        yield from _image_build(resource, options.non_root_images)


def _container(resource, non_root_images):
    if resource.value("os") == "windows":
        yield from _windows_container(resource)
        return
    user, non_root = resource.attr("run_as_user"), resource.attr("run_as_non_root")
    built = resource.attr("built_by")
    if user.is_set and user.value == 0:  # root, whatever else is not known
        yield problem(user, f"{resource.native_name('run_as_user', 'runAsUser')}: 0 runs the container as root")
        return
    if built.unknown:  # a Compose service's unreadable base may build the image
        return
    if not user.is_set and not non_root.is_set and built.value is not None:
        yield from _built_image(resource, built, non_root_images)
        return
    if user.unknown or non_root.unknown:
        return
    if non_root.value is True or (user.is_set and user.value > 0):
        return
    elif non_root.is_set:
        yield problem(non_root, "runAsNonRoot: false and no non-zero runAsUser, so the image's user (often root) applies", fix=_NON_ROOT)
    else:
        # Container Instances' security context has no runAsNonRoot: a user is the only way.
        settings = "a non-zero runAsUser" if resource.format in ("arm", "bicep") else "runAsNonRoot or a non-zero runAsUser"
        yield problem(resource.location, f"no non-root user is set ({settings}), so the image's user (often root) applies", fix=_NON_ROOT)


_NON_ROOT = set_to("run_as_non_root", True, "Set runAsNonRoot: true")


def _windows_container(resource):
    """Windows has no UIDs (the API server refuses `runAsUser` on a Windows pod):
    the kubelet takes ContainerAdministrator for root. `runAsUserName` decides, and
    without it `runAsNonRoot: true` makes the kubelet refuse an image that runs as
    ContainerAdministrator."""
    user, non_root = resource.attr("run_as_user_name"), resource.attr("run_as_non_root")
    if user.unknown:
        return
    if user.is_set:
        if _administrator(user.value):
            yield problem(user, f"runAsUserName: {user.value} runs the container with administrator rights")
        return
    if non_root.unknown or non_root.value is True:
        return
    said = "runAsNonRoot: false and no windowsOptions.runAsUserName" if non_root.is_set else (
        "no non-administrator user is set (runAsNonRoot or windowsOptions.runAsUserName)")
    yield problem(non_root if non_root.is_set else resource.location,
                  f"{said}, so the image's user (often ContainerAdministrator) applies", fix=_NON_ROOT)


def _administrator(user: str) -> bool:
    """A Windows user that holds administrator rights in a container: its
    administrator, or the system account above it (Windows user names ignore case)."""
    return user.strip().lower() in ("containeradministrator", "nt authority\\system")


def _built_image(resource, built, non_root_images):
    """A container that sets no user runs as the user of the image it is built from:
    the Dockerfile stage decides, and the finding points at the container, with the
    Dockerfile's line as a related location."""
    stage = built.value
    for found in _image_build(stage, non_root_images):
        decided = Related(f"the image's user is decided here ({stage.address})", found.location.path, found.location.line, found.location.column)
        at = replace(resource.location, via=(*resource.location.via, decided))
        yield problem(at, f"no {resource.native_name('run_as_user', 'user')} is set and the image built from {found.location.path} runs as root: {found.message}")


def _image_build(resource, non_root_images):
    user = resource.attr("user")
    if user.unknown:
        return
    if resource.value("os") == "windows":
        if isinstance(user.value, str) and _administrator(user.value):
            yield problem(user, "USER ContainerAdministrator runs the container with administrator rights")
        elif not user.is_set and resource.value("image_user") == "ContainerAdministrator":
            yield problem(user, "the final stage sets no USER, and its Windows Server Core base runs as ContainerAdministrator")
        return
    if user.is_set:
        # Also when the base image, and so the system, is not known: Windows has
        # neither a `root` account nor UIDs, so a user named so is a Linux one.
        if uid_of(user.value) == 0:
            yield problem(user, f"USER {user.value} runs the container as root")
        return
    if resource.value("os") != "linux":
        return
    base = resource.value("base_image")
    if not isinstance(base, ImageRef):  # scratch: no configuration, no user but root
        yield problem(user, "the final stage sets no USER, so the image runs as root")
    elif not resource.attr("image_user").is_set and not any(pattern.matches(base) for pattern in non_root_images):
        yield problem(
            user,
            f"the final stage sets no USER, so the image runs as root unless its base image {base.raw} sets one; "
            "declare it with USER or the non_root_images option",
        )
