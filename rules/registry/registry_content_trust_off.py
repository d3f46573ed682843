from iacguard import problem, rule


@rule(
    code="IG704",
    name="registry-content-trust-off",
    severity="medium",
    kinds=("registry",),
    tags=("azure", "container-registry", "supply-chain"),
    references={"checkov": ["CKV_AZURE_164"]},
)
def check(resource, options):
    """A Premium registry does not enforce signed images.

    ## What it checks
    On Premium registries (the only tier that offers it), the content trust policy
    (`trust_policy_enabled`, v3 `trust_policy { enabled }`, ARM
    `policies.trustPolicy.status`) must be enabled. Other tiers and an unknown tier are
    not reported.

    ## Why it matters
    Without content trust, consumers cannot tell a signed image from one pushed with
    stolen credentials.

    ## How to fix
    Set `trust_policy_enabled = true` and sign images when pushing.

    ## Example
    Fails: a Premium registry without the policy. Passes: `trust_policy_enabled = true`.
    """
    if resource.value("sku") != "Premium":
        return
    trust = resource.attr("content_trust")
    if trust.value is False:
        yield problem(trust, "content trust is not enabled on this Premium registry")
