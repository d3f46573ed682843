from iacguard import rule, setting_problem


@rule(
    code="IG403",
    name="service-account-token-automounted",
    severity="low",
    kinds=("pod",),
    tags=("kubernetes", "identity"),
    references={"checkov": ["CKV_K8S_38"], "kube-linter": ["automount-service-account-token"], "trivy": ["KSV036"]},
)
def check(resource, options):
    """The pod gets an API token it probably does not need.

    ## What it checks
    `automountServiceAccountToken` must be `false` on the pod, or on its service
    account when the ServiceAccount is declared in the same file and the pod does not
    override it. Unset means mounted: that is the platform default. A pod whose
    ServiceAccount a RoleBinding or ClusterRoleBinding in the same file (or stream)
    grants a role is not reported: it calls the API, so it needs the token.

    ## Why it matters
    Every pod gets a token for the Kubernetes API by default. Most applications never
    call the API, but an attacker inside the container can use the token with
    whatever permissions RBAC grants the account.

    ## How to fix
    Set `automountServiceAccountToken: false` on the pod spec (or the
    ServiceAccount), and mount a projected token only where the API is used.

    ## Example
    Fails: a Deployment without the setting. Passes: `spec: {automountServiceAccountToken: false}`.
    """
    token = resource.attr("automount_service_account_token")
    if token.unknown or token.value is False:
        return
    yield setting_problem(token, "automountServiceAccountToken: true mounts an API token into every container", "automountServiceAccountToken is not set to false, so an API token is mounted")
