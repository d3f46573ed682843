from iacguard import problem, rule

from ._tiers import ANONYMOUS_PULL, offers, tier


@rule(
    code="IG703",
    name="registry-anonymous-pull",
    severity="high",
    kinds=("registry",),
    tags=("azure", "container-registry", "identity"),
    references={"checkov": ["CKV_AZURE_138"]},
)
def check(resource, options):
    """Anyone may pull images from the registry without signing in.

    ## What it checks
    Anonymous pull (Terraform `anonymous_pull_enabled`, ARM and Bicep
    `properties.anonymousPullEnabled`) must not be true on a Standard or Premium
    registry, the tiers that offer anonymous pull. A Basic registry has no anonymous
    pull whatever the setting says, and a registry whose tier cannot be resolved is
    not reported. Unset passes: anonymous pull is off by default.

    ## Why it matters
    Anonymous pull publishes every repository of the registry: internal code,
    configuration baked into images, and the exact versions attackers should target.

    ## How to fix
    Disable anonymous pull; publish public images from a separate registry or
    repository that is meant to be public.

    ### Terraform
    Remove `anonymous_pull_enabled` or set `anonymous_pull_enabled = false`.

    ### ARM
    Remove `anonymousPullEnabled` from `properties` or set
    `"anonymousPullEnabled": false`.

    ### Bicep
    Remove `anonymousPullEnabled` from `properties` or set
    `anonymousPullEnabled: false`.

    ## Example
    ### Terraform
    Fails: `anonymous_pull_enabled = true` with `sku = "Standard"`. Passes: no
    `anonymous_pull_enabled`, or `sku = "Basic"`.

    ### ARM
    Fails: `"anonymousPullEnabled": true` with `"sku": { "name": "Standard" }`.
    Passes: no `anonymousPullEnabled`, or `"sku": { "name": "Basic" }`.

    ### Bicep
    Fails: `anonymousPullEnabled: true` with `sku: { name: 'Standard' }`. Passes: no
    `anonymousPullEnabled`, or `sku: { name: 'Basic' }`.
    """
    anonymous = resource.attr("anonymous_pull")
    if anonymous.value is True and offers(resource, ANONYMOUS_PULL):
        name = resource.native_name("anonymous_pull")
        yield problem(anonymous, f"{name} is true on a {tier(resource)} registry, so anyone can pull its images without signing in")
