from iacguard import problem, rule

from ._tiers import ANONYMOUS_PULL, offers


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
    `anonymous_pull_enabled` (ARM `anonymousPullEnabled`) must not be true on a
    Standard or Premium registry, the tiers that offer anonymous pull. A Basic
    registry has no anonymous pull whatever the setting says, and a registry whose
    tier cannot be resolved is not reported.

    ## Why it matters
    Anonymous pull publishes every repository of the registry: internal code,
    configuration baked into images, and the exact versions attackers should target.

    ## How to fix
    Disable anonymous pull; publish public images from a separate registry or
    repository that is meant to be public.

    ## Example
    Fails: `anonymous_pull_enabled = true` with `sku = "Standard"`. Passes: not set.
    """
    anonymous = resource.attr("anonymous_pull")
    if anonymous.value is True and offers(resource, ANONYMOUS_PULL):
        yield problem(anonymous, "anonymous pull is enabled")
