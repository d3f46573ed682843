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
    A cluster must be private (`private_cluster_enabled`, before azurerm 3.0 also
    `private_link_enabled`; ARM `apiServerAccessProfile.enablePrivateCluster`) or
    restrict its API server to `authorized_ip_ranges` (in `api_server_access_profile`,
    older `api_server_authorized_ip_ranges`; ARM
    `apiServerAccessProfile.authorizedIPRanges`, in the 2019 API versions before
    2019-08-01 `apiServerAuthorizedIPRanges`). Neither fails. Each ARM spelling counts
    only under the API versions that read it.

    ## Why it matters
    An open API server is one credential leak or one API server vulnerability away
    from a cluster takeover, from anywhere.

    ## How to fix
    Make the cluster private, or set `authorized_ip_ranges` to your offices, VPN and
    CI egress ranges.

    ## Example
    Fails: neither setting. Passes: `api_server_access_profile { authorized_ip_ranges = ["203.0.113.0/24"] }`.
    """
    private, ranges = resource.attr("private_cluster"), resource.attr("authorized_ip_ranges")
    if private.unknown or ranges.unknown or private.value is True:
        return
    if not ranges.value:
        yield problem(private, "the API server is public and not restricted to authorized IP ranges")
