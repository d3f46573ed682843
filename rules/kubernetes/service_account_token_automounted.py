from iacguard import rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG403",
    name="service-account-token-automounted",
    severity="low",
    kinds=("pod",),
    formats=("kubernetes",),
    tags=("kubernetes", "identity"),
    enabled=False,
    references={"checkov": ["CKV_K8S_38"], "kube-linter": ["automount-service-account-token"], "trivy": ["KSV036"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """The pod gets an API token it probably does not need.

    ## What it checks
    `automountServiceAccountToken` must be `false` on the pod, or on its service
    account (`serviceAccountName`, or the deprecated `serviceAccount` that the API
    server copies into it) when the ServiceAccount is declared in the same file and
    the pod does not override it. Unset means mounted: that is the platform default. A pod whose
    ServiceAccount a RoleBinding or ClusterRoleBinding in the same file (or stream)
    grants a role is not reported: it calls the API, so it needs the token.

    Namespaces match as kubectl applies the objects: where the pod and the
    ServiceAccount (or the binding's subject) both write one, or neither does, they
    must be the same; where only one writes it, kubectl's context decides the other,
    so a binding that may grant the account a role, or an account that may be the
    pod's and turns the token off, leaves the pod unreported. A pod spec holding a
    container written without an image is one an operator completes (ECK turns the
    token off unless the template turns it on), so what it leaves out is not
    reported.

    ## Why it matters
    Every pod gets a token for the Kubernetes API by default. Most applications never
    call the API, but an attacker inside the container can use the token with
    whatever permissions RBAC grants the account.

    ## Why this default
    Off by default. What the token allows is decided by RBAC, which the manifest
    rarely shows: service accounts outside `kube-system` get no permissions unless a
    binding grants them some
    (<https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions>),
    and a pod whose account has a binding usually needs the token. The mounted token
    is also bound to the pod and stops working when the pod is deleted. So an unset
    field says little about the risk on its own; turn the rule on with
    `select: [all, IG403]` to require an explicit choice on every pod.

    ## How to fix
    Set `automountServiceAccountToken: false` on the pod spec (or the
    ServiceAccount), and mount a projected token only where the API is used. The
    fix sets it on the pod spec. It is unsafe: a pod that calls the Kubernetes API
    loses its credentials.

    ## Example
    Fails: a Deployment without the setting. Passes: `spec: {automountServiceAccountToken: false}`.
    """
    token = resource.attr("automount_service_account_token")
    if token.unknown or token.value is False:
        return
    yield setting_problem(token, "automountServiceAccountToken: true mounts an API token into every container", "automountServiceAccountToken is not set to false, so an API token is mounted",
                          fix=set_to("automount_service_account_token", False, "Set automountServiceAccountToken: false"))
