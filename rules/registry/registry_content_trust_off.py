from iacguard import problem, rule

from ._tiers import CONTENT_TRUST, offers


@rule(
    code="IG704",
    name="registry-content-trust-off",
    severity="medium",
    kinds=("registry",),
    enabled=False,
    tags=("azure", "container-registry", "supply-chain"),
    references={"checkov": ["CKV_AZURE_164"]},
)
def check(resource, options):
    """A Premium registry does not enforce Docker Content Trust.

    ## What it checks
    On Premium registries (the only tier that offers it), the content trust policy
    (`trust_policy_enabled`, v3 `trust_policy { enabled }`, ARM
    `policies.trustPolicy.status`) must be enabled. Other tiers and a tier that
    cannot be resolved are not reported.

    Off by default: Azure deprecated Docker Content Trust on 2025-03-31 and removes
    it from Azure Container Registry on 2028-03-31, in favour of signing with the
    Notary Project (Microsoft Learn, "Transition from Docker Content Trust to the
    Notary Project", learn.microsoft.com/azure/container-registry/container-registry-content-trust-deprecation;
    `az acr config content-trust` carries the same notice). Select IG704 where
    registries still rely on content trust until they have moved.

    ## Why it matters
    Without signatures, consumers cannot tell an image the publisher built from one
    pushed with stolen credentials. Notary Project signatures are verified where
    images are deployed, not by the registry: no setting of `azurerm_container_registry`
    or `Microsoft.ContainerRegistry/registries` expresses signature verification, so
    no rule can check it on the registry. On AKS it is configured outside the
    registry (image integrity, a preview that works with Azure Policy, or Ratify).

    ## How to fix
    Where a registry still relies on content trust, set `trust_policy_enabled = true`
    (ARM `policies.trustPolicy.status: enabled`) and sign images when pushing. For
    new work, sign with Notation and verify signatures at deployment instead.

    ## Example
    Fails (when selected): a Premium registry without the policy. Passes:
    `trust_policy_enabled = true`, or a Standard registry.
    """
    trust = resource.attr("content_trust")
    if trust.value is False and offers(resource, CONTENT_TRUST):
        yield problem(trust, "content trust is not enabled on this Premium registry")
