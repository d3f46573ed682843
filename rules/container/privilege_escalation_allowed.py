from iacguard import rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG203",
    name="privilege-escalation-allowed",
    severity="high",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    references={"checkov": ["CKV_K8S_20"], "kube-linter": ["privilege-escalation-container"], "trivy": ["KSV001"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """The container may gain more privileges than its parent process.

    ## What it checks
    `securityContext.allowPrivilegeEscalation` must be `false`; unset counts as allowed,
    because that is the platform default. A container of a Windows pod (`spec.os.name:
    windows`, or without it a node selector `kubernetes.io/os: windows`) passes:
    `no_new_privs` is a Linux mechanism, and the API server refuses the field on a
    Windows pod.

    ### Docker Compose
    The service's `security_opt` must hold `no-new-privileges` (or
    `no-new-privileges:true`); without it, or with `no-new-privileges:false`,
    Docker lets processes gain privileges.

    ## Why it matters
    With escalation allowed, setuid binaries and file capabilities inside the image
    can turn an unprivileged process into root (`no_new_privs` is not set).

    ## Why this default
    On, although most real workloads fail it: `allowPrivilegeEscalation: false` is
    required by the Pod Security Standards' Restricted profile
    (<https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted>),
    so a namespace that enforces that profile rejects the pod, and the fix is one
    line that almost never breaks an application.

    ## How to fix
    Set `allowPrivilegeEscalation: false` in every container's `securityContext`.
    The fix writes it there. It is unsafe, as every change to how a container
    runs: a process that needs a setuid binary (`sudo`, `ping` on old images) stops
    working. A privileged container, or one that adds `SYS_ADMIN`, always may
    escalate, and the API server refuses `allowPrivilegeEscalation: false` beside
    `privileged: true` or `CAP_SYS_ADMIN`: there is no fix to write until those go
    (IG202, IG205).

    ## Example
    Fails: no `allowPrivilegeEscalation`, or `true`. Passes:
    `securityContext: {allowPrivilegeEscalation: false}`.
    """
    escalation = resource.attr("allow_privilege_escalation")
    if escalation.unknown or escalation.value is False:
        return
    privileged = resource.attr("privileged")
    always_escalates = privileged.unknown or privileged.value is True or any(
        capability.unknown or capability.value == "SYS_ADMIN" for capability in resource.value("capabilities_add") or ())
    yield setting_problem(
        escalation,
        f"{escalation.native or 'allowPrivilegeEscalation: true'} lets processes gain privileges",
        f"{escalation.native or 'allowPrivilegeEscalation: false'} is not set",
        fix=None if always_escalates else set_to("allow_privilege_escalation", False, "Set allowPrivilegeEscalation: false"),
    )
