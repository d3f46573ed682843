from iacguard import problem, rule

_FIELDS = (("verbs", "verbs"), ("resources", "resources"), ("api_groups", "apiGroups"))


@rule(
    code="IG405",
    name="rbac-wildcard",
    severity="high",
    kinds=("k8s_rbac",),
    tags=("kubernetes", "identity"),
    references={"checkov": ["CKV_K8S_49"], "kube-linter": ["wildcard-in-rules"], "trivy": ["KSV044", "KSV045", "KSV046"]},
)
def check(resource, options):
    """A Role or ClusterRole grants `*`.

    ## What it checks
    Each rule of a Role or ClusterRole: a `*` in `verbs`, `resources` or `apiGroups`.

    ## Why it matters
    A wildcard grants everything that exists now and everything added later
    (new resource types from CRDs, new verbs), so nobody can say what the role
    allows; `*` on resources includes Secrets.

    ## How to fix
    List the verbs, resources and API groups the subject really needs.

    ## Example
    Fails: `rules: [{apiGroups: [""], resources: ["*"], verbs: [get]}]`. Passes:
    `rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list]}]`.
    """
    for rbac_rule in resource.value("rules") or ():
        for attribute, key in _FIELDS:
            for item in getattr(rbac_rule, attribute):
                if item.value == "*":
                    yield problem(item, f"{key}: '*' grants every {key[:-1] if key != 'apiGroups' else 'API group'}")
