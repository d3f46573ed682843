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
    The network policy (Terraform `network_profile.network_policy`, ARM and Bicep
    `properties.networkProfile.networkPolicy`) must name an engine (`azure`,
    `calico`, `cilium`). Unset, empty or `none` fails, and so does a network profile
    in a template declaring the first API version, 2017-08-31, which does not read
    it. A cluster on the Cilium data plane (Terraform
    `network_profile.network_data_plane = "cilium"`, in azurerm 3.x also
    `ebpf_data_plane`; ARM and Bicep `properties.networkProfile.networkDataplane`)
    passes without one: Azure CNI Powered by Cilium enforces network policies
    itself, and AKS puts it in place of any other engine.

    ## Why it matters
    Without an engine, NetworkPolicy objects are accepted but ignored: every pod can
    reach every other pod, so one compromised workload can probe the whole cluster.

    ## How to fix
    Choose an engine (it can be enabled on existing clusters) and add default-deny
    policies per namespace.

    ### Terraform
    Set `network_policy` in the `network_profile` block.

    ### ARM
    Set `"networkPolicy"` in `properties.networkProfile`.

    ### Bicep
    Set `networkPolicy` in `properties.networkProfile`.

    ## Example
    ### Terraform
    Fails: `network_profile { network_plugin = "azure" }`. Passes:
    `network_profile { network_plugin = "azure", network_policy = "calico" }`, or
    `network_data_plane = "cilium"` without a network policy.

    ### ARM
    Fails: `"networkProfile": { "networkPlugin": "azure" }`. Passes:
    `"networkProfile": { "networkPlugin": "azure", "networkPolicy": "calico" }`.

    ### Bicep
    Fails: `networkProfile: { networkPlugin: 'azure' }`. Passes:
    `networkProfile: { networkPlugin: 'azure', networkPolicy: 'calico' }`.
    """
    policy = resource.attr("network_policy")
    if policy.unknown:
        return
    name = resource.native_name("network_policy")
    consequence = "so NetworkPolicies are not enforced"
    if not policy.is_set:
        yield problem(policy, f"{name} is left to its default, no engine, {consequence}")
    elif isinstance(policy.value, str) and policy.value.lower() in ("", "none"):
        yield problem(policy, f"{name} is {policy.value or 'empty'}, {consequence}")
