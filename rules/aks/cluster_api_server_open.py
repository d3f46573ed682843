from iacguard import problem, rule


@rule(
    code="IG804",
    name="cluster-api-server-open",
    severity="high",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "network"),
    references={"checkov": ["CKV_AZURE_6", "CKV_AZURE_115"]},
)
def check(resource, options):
    """The cluster's API server is reachable from the whole internet.

    ## What it checks
    A cluster must be private or restrict its API server to authorized IP ranges;
    neither fails. Terraform: `private_cluster_enabled` (before azurerm 3.0 also
    `private_link_enabled`), or `authorized_ip_ranges` in `api_server_access_profile`
    (older providers: `api_server_authorized_ip_ranges`). ARM and Bicep:
    `properties.apiServerAccessProfile.enablePrivateCluster`, or
    `properties.apiServerAccessProfile.authorizedIPRanges` (in the 2019 API versions
    before 2019-08-01 `properties.apiServerAuthorizedIPRanges`). Each ARM and Bicep
    spelling counts only under the API versions that read it.

    ## Why it matters
    An open API server is one credential leak or one API server vulnerability away
    from a cluster takeover, from anywhere.

    ## How to fix
    Make the cluster private, or allow only your offices, VPN and CI egress ranges to
    reach the API server.

    ### Terraform
    Set `private_cluster_enabled = true`, or
    `api_server_access_profile { authorized_ip_ranges = [...] }`.

    ### ARM
    Set `"apiServerAccessProfile": { "enablePrivateCluster": true }` in `properties`,
    or `"apiServerAccessProfile": { "authorizedIPRanges": [...] }`, with an API
    version from 2019-08-01.

    ### Bicep
    Set `apiServerAccessProfile: { enablePrivateCluster: true }` in `properties`, or
    `apiServerAccessProfile: { authorizedIPRanges: [...] }`, with an API version from
    2019-08-01.

    ## Example
    ### Terraform
    Fails: neither setting, or `authorized_ip_ranges = []`. Passes:
    `api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }`.

    ### ARM
    Fails: no `apiServerAccessProfile`. Passes:
    `"apiServerAccessProfile": { "authorizedIPRanges": [ "203.0.113.0/24" ] }`.

    ### Bicep
    Fails: no `apiServerAccessProfile`. Passes:
    `apiServerAccessProfile: { authorizedIPRanges: [ '203.0.113.0/24' ] }`.
    """
    private, ranges = resource.attr("private_cluster"), resource.attr("authorized_ip_ranges")
    if private.unknown or ranges.unknown or private.value is True:
        return
    if not ranges.value:
        names = resource.native_name("private_cluster"), resource.native_name("authorized_ip_ranges")
        yield problem(private, "neither {} nor {} limits who can reach the API server, so it is open to the whole internet".format(*names))
