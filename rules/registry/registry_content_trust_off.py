from iacguard import rule, setting_problem

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
    (Terraform `trust_policy_enabled`, before azurerm 4.0 `trust_policy { enabled }`;
    ARM and Bicep `properties.policies.trustPolicy.status`) must be enabled. Unset
    fails: the policy is off by default. Other tiers and a tier that cannot be
    resolved are not reported.

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
    Where a registry still relies on content trust, enable the policy and sign
    images when pushing. For new work, sign with Notation and verify signatures at
    deployment instead.

    ### Terraform
    Set `trust_policy_enabled = true` (before azurerm 4.0:
    `trust_policy { enabled = true }`).

    ### ARM
    Set `"policies": { "trustPolicy": { "type": "Notary", "status": "enabled" } }`
    in `properties`.

    ### Bicep
    Set `policies: { trustPolicy: { type: 'Notary', status: 'enabled' } }` in
    `properties`.

    ## Example
    ### Terraform
    Fails (when selected): `sku = "Premium"` without `trust_policy_enabled`.
    Passes: `trust_policy_enabled = true`, or `sku = "Standard"`.

    ### ARM
    Fails (when selected): `"sku": { "name": "Premium" }` without `policies`, or
    with `"trustPolicy": { "status": "disabled" }`. Passes:
    `"trustPolicy": { "status": "enabled" }`, or `"sku": { "name": "Standard" }`.

    ### Bicep
    Fails (when selected): `sku: { name: 'Premium' }` without `policies`, or with
    `trustPolicy: { status: 'disabled' }`. Passes: `trustPolicy: { status: 'enabled' }`,
    or `sku: { name: 'Standard' }`.
    """
    trust = resource.attr("content_trust")
    if trust.value is False and offers(resource, CONTENT_TRUST):
        name = resource.native_name("content_trust")
        yield setting_problem(trust, f"{name} leaves content trust off on this Premium registry", f"{name} is not set, so content trust is off (the default) on this Premium registry")
