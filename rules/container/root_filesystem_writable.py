from iacguard import rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG209",
    name="root-filesystem-writable",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    enabled=False,
    references={"checkov": ["CKV_K8S_22"], "kube-linter": ["no-read-only-root-fs"], "trivy": ["KSV014"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """The container can write to its root filesystem.

    ## What it checks
    `securityContext.readOnlyRootFilesystem` must be `true`. A container of a Windows
    pod (`spec.os.name: windows`, or without it a node selector `kubernetes.io/os:
    windows`) passes: Windows containers cannot run with a read-only root filesystem,
    and the API server refuses the field on a Windows pod.

    ### Docker Compose
    The service's `read_only` must be true.

    ## Why it matters
    A writable root filesystem lets an attacker drop tools and persist changes to
    binaries and configuration for the life of the container; a read-only one turns
    most of those steps into errors.

    ## Why this default
    Off by default. A read-only root filesystem is not part of the Pod Security
    Standards, not even of the Restricted profile
    (<https://kubernetes.io/docs/concepts/security/pod-security-standards/>), and
    most images need writable paths that must first be found and mounted, so it is
    reported on nearly every real workload. It is worthwhile hardening beyond that
    profile: turn it on with `select: [all, IG209]` where workloads are built for it.

    ## How to fix
    Set `readOnlyRootFilesystem: true` and mount an `emptyDir` where the application
    must write (`/tmp`, caches). The fix sets `readOnlyRootFilesystem: true` in the
    container's `securityContext`. It is unsafe: an application that writes to its
    filesystem fails until those paths are mounted.

    ## Example
    Fails: no `readOnlyRootFilesystem`, or `false`. Passes: `readOnlyRootFilesystem: true`.
    """
    read_only = resource.attr("read_only_root_filesystem")
    if read_only.unknown or read_only.value is True:
        return
    name = resource.native_name("read_only_root_filesystem", "readOnlyRootFilesystem")
    yield setting_problem(read_only, f"{name}: false leaves the root filesystem writable", f"{name} is not set to true",
                          fix=set_to("read_only_root_filesystem", True, "Set readOnlyRootFilesystem: true"))
