from iacguard import problem, rule

_ROOT_NAMES = ("root", "0")


@rule(
    code="IG201",
    name="container-runs-as-root",
    severity="high",
    kinds=("image_build", "container"),
    formats=("dockerfile", "kubernetes", "arm", "bicep"),
    runtime_only=True,
    tags=("runtime", "dockerfile", "kubernetes"),
    references={
        "hadolint": ["DL3002"],
        "checkov": ["CKV_DOCKER_3", "CKV_DOCKER_8", "CKV_K8S_23", "CKV_K8S_40"],
        "kube-linter": ["run-as-non-root"],
        "trivy": ["DS002", "KSV012"],
    },
)
def check(resource, options):
    """The container runs as root.

    ## What it checks
    For a Dockerfile, the effective user of the final stage: the last `USER` of the
    stage or of the stages it is built on. It fails when there is no `USER` at all
    (images run as root unless told otherwise), or the user is `root` or UID `0`
    (`USER 0:0`, `USER root:app`). A user given by a build argument without default,
    or a base image whose name is unknown, is not reported. Windows images are told
    by their name or tag (`nanoserver`, `servercore`, `windowsservercore`,
    `ltsc2022`, ...): Nano Server runs as `ContainerUser` and passes without `USER`;
    Server Core and the full Windows images run as `ContainerAdministrator`, so a
    final stage on them fails without a `USER`, as does an explicit
    `USER ContainerAdministrator` on any Windows image.

    For a Kubernetes container, the effective security context (the container's
    settings over the pod's): it fails when neither `runAsNonRoot: true` nor a
    non-zero `runAsUser` is set, or when `runAsUser: 0` is set (which also makes a
    `runAsNonRoot: true` pod fail to start). For Azure Container Instances in ARM
    and Bicep, whose API has `securityContext.runAsUser`, the same applies to it
    (Terraform's azurerm cannot set it, so Terraform is not checked).

    ## Why it matters
    Root in a container is root on the host's kernel: a process escape, a writable
    host mount or a kernel bug turns into full control of the node. Running as an
    unprivileged user contains the damage and is required by restricted Pod Security
    and most platform policies.

    ## How to fix
    Create an unprivileged user and switch to it at the end of the final stage, for
    example `RUN useradd --uid 10001 app` then `USER 10001`. Distroless images provide
    a `nonroot` user. In Kubernetes, set `runAsNonRoot: true` and a `runAsUser` above
    0 in the pod's `securityContext`.

    ## Example
    Fails: a final stage without `USER`, or ending with `USER root`; a container
    with `securityContext: {runAsUser: 0}`. Passes: a final stage ending with
    `USER 10001:10001`; a pod with `securityContext: {runAsNonRoot: true, runAsUser: 10001}`.
    """
    if resource.kind == "container":
        yield from _container(resource)
    else:
        yield from _image_build(resource)


def _container(resource):
    user, non_root = resource.attr("run_as_user"), resource.attr("run_as_non_root")
    if user.unknown or non_root.unknown:
        return
    if user.value == 0:
        yield problem(user, "runAsUser: 0 runs the container as root")
    elif non_root.value is True or (user.is_set and user.value > 0):
        return
    elif non_root.is_set:
        yield problem(non_root, "runAsNonRoot: false and no non-zero runAsUser, so the image's user (often root) applies")
    else:
        yield problem(resource.location, "no non-root user is set (runAsNonRoot or a non-zero runAsUser), so the image's user (often root) applies")


def _image_build(resource):
    user = resource.attr("user")
    if user.unknown:
        return
    if resource.value("os") == "windows":
        if isinstance(user.value, str) and user.value.strip().lower() == "containeradministrator":
            yield problem(user, "USER ContainerAdministrator runs the container with administrator rights")
        elif not user.is_set and resource.value("image_user") == "ContainerAdministrator":
            yield problem(user, "the final stage sets no USER, and its Windows Server Core base runs as ContainerAdministrator")
        return
    if resource.value("os") != "linux":
        return
    if not user.is_set:
        yield problem(user, "the final stage sets no USER, so the image runs as root")
    elif user.value.split(":", 1)[0].strip() in _ROOT_NAMES:
        yield problem(user, f"USER {user.value} runs the container as root")
