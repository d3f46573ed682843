from iacguard import problem, rule


@rule(
    code="IG213",
    name="apparmor-unconfined",
    severity="high",
    kinds=("container",),
    formats=("kubernetes", "compose"),
    linux_only=True,
    tags=("runtime", "kubernetes"),
    references={"trivy": ["KSV002"]},
)
def check(resource, options):
    """The container runs without AppArmor confinement.

    ## What it checks
    The effective AppArmor profile, in the order the kubelet reads it: the container's
    `securityContext.appArmorProfile.type` (Kubernetes 1.30 and later), else the
    annotation `container.apparmor.security.beta.kubernetes.io/<container name>` of the
    pod (or pod template) that older clusters read, else the pod's
    `securityContext.appArmorProfile.type`. `Unconfined` (`unconfined` in the
    annotation) fails. Not setting a profile passes: the node's runtime then applies its
    default profile, which is what the Pod Security Standards' Baseline level asks for
    (it forbids only overriding or disabling the default). A container of a Windows pod
    (`spec.os.name: windows`, or without it a node selector `kubernetes.io/os: windows`)
    passes: AppArmor is a Linux mechanism, and the API server refuses the field on a
    Windows pod.

    ### Docker Compose
    Docker applies its default AppArmor profile where AppArmor is enabled:
    only `security_opt: [apparmor:unconfined]` (or `apparmor=unconfined`) is
    reported.

    ## Why it matters
    AppArmor limits what the container's processes may do on the node (mounting,
    writing to `/proc` and `/sys`, raw sockets). Unconfined, a process that escapes
    its other restrictions meets no mandatory access control at all.

    ## How to fix
    Remove the setting, or set `appArmorProfile: {type: RuntimeDefault}` (or a
    `Localhost` profile written for the workload).

    ## Example
    Fails: `securityContext: {appArmorProfile: {type: Unconfined}}`, or the annotation
    `container.apparmor.security.beta.kubernetes.io/web: unconfined`. Passes:
    `appArmorProfile: {type: RuntimeDefault}`, or no profile at all.
    """
    profile = resource.attr("apparmor_profile")
    if profile.value == "Unconfined":
        yield problem(profile, "the AppArmor profile is Unconfined, so the container runs without mandatory access control")
