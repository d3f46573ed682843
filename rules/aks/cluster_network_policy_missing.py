from iacguard import problem, rule


@rule(
    code="IG803",
    name="cluster-network-policy-missing",
    severity="medium",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "network"),
    references={"checkov": ["CKV_AZURE_7"]},
)
def check(resource, options):
    """The cluster has no network policy engine.

    ## What it checks
    `network_profile.network_policy` (ARM `networkProfile.networkPolicy`) must name an
    engine (`azure`, `calico`, `cilium`). Unset fails.

    ## Why it matters
    Without an engine, NetworkPolicy objects are accepted but ignored: every pod can
    reach every other pod, so one compromised workload can probe the whole cluster.

    ## How to fix
    Set `network_policy` in `network_profile` (it can be enabled on existing clusters)
    and add default-deny policies per namespace.

    ## Example
    Fails: `network_profile { network_plugin = "azure" }`. Passes: `network_policy = "calico"`.
    """
    policy = resource.attr("network_policy")
    if policy.unknown:
        return
    if not policy.is_set or (isinstance(policy.value, str) and policy.value.lower() in ("", "none")):
        yield problem(policy, "no network policy engine is configured, so NetworkPolicies are not enforced")
