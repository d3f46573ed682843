from iacguard import rule, set_to, setting_problem, unsafe_fix

_CONFINED = ("RuntimeDefault", "Localhost")


@rule(
    code="IG211",
    name="seccomp-profile-missing",
    severity="medium",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_31"], "trivy": ["KSV030", "KSV104"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """The container runs without a seccomp profile.

    ## What it checks
    The effective `seccompProfile.type` (container over pod, then the legacy
    `seccomp.security.alpha.kubernetes.io` annotations) must be `RuntimeDefault` or
    `Localhost`. Not set, or `Unconfined`, fails. A container of a Windows pod
    (`spec.os.name: windows`, or without it a node selector `kubernetes.io/os: windows`)
    passes: seccomp filters Linux system calls, and the API server refuses the field on
    a Windows pod.

    ### Docker Compose
    Docker applies its default seccomp profile to every container: only
    `security_opt: [seccomp:unconfined]` (or `seccomp=unconfined`) is reported.

    ## Why it matters
    Seccomp filters the system calls a process may make. Without it, every kernel
    system call is reachable from the container, and with it most container-escape
    exploits of kernel bugs fail outright.

    ## Why this default
    On, although most real workloads fail it: unless the kubelet is configured with
    `seccompDefault`, a pod without a profile runs `Unconfined`
    (<https://kubernetes.io/docs/tutorials/security/seccomp/>), and
    `RuntimeDefault` or `Localhost` is required by the Pod Security Standards'
    Restricted profile
    (<https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted>).

    ## How to fix
    Set `securityContext: {seccompProfile: {type: RuntimeDefault}}` on the pod.
    The fix sets it in the container's `securityContext`, which wins over the pod's
    and a legacy annotation. It is unsafe: a program that uses a system call the
    runtime's default profile blocks fails.

    ## Example
    Fails: no `seccompProfile`, or `type: Unconfined`. Passes: `type: RuntimeDefault`
    on the pod or the container.
    """
    profile = resource.attr("seccomp_profile")
    if profile.unknown or profile.value in _CONFINED:
        return
    yield setting_problem(profile, f"seccomp profile {profile.value} leaves every system call open", "no seccomp profile is set (RuntimeDefault or Localhost)",
                          fix=set_to("seccomp_profile", "RuntimeDefault", "Set seccompProfile.type: RuntimeDefault"))
