from iacguard import problem, rule


@rule(
    code="IG406",
    name="cluster-admin-bound",
    severity="high",
    kinds=("k8s_rbac",),
    tags=("kubernetes", "identity"),
    references={"kube-linter": ["cluster-admin-role-binding"], "trivy": ["KSV111"]},
)
def check(resource, options):
    """A binding grants the `cluster-admin` role.

    ## What it checks
    RoleBindings and ClusterRoleBindings whose `roleRef` is the ClusterRole
    `cluster-admin`.

    ## Why it matters
    `cluster-admin` can do anything to any object in the cluster. A workload or user
    holding it turns any compromise into a cluster compromise.

    ## How to fix
    Bind a role that grants only what the subject needs; keep cluster-admin for
    break-glass accounts managed outside application manifests.

    ## Example
    Fails: `roleRef: {kind: ClusterRole, name: cluster-admin}`. Passes:
    `roleRef: {kind: ClusterRole, name: view}`.
    """
    role_ref = resource.attr("role_ref")
    if role_ref.value == "cluster-admin" and resource.value("role_ref_kind") in (None, "ClusterRole"):
        yield problem(role_ref, f"{resource.value('role_kind')} grants cluster-admin")
