from iacguard import problem, rule


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
    `anonymous_pull_enabled` (ARM `anonymousPullEnabled`) must not be true.

    ## Why it matters
    Anonymous pull publishes every repository of the registry: internal code,
    configuration baked into images, and the exact versions attackers should target.

    ## How to fix
    Disable anonymous pull; publish public images from a separate registry or
    repository that is meant to be public.

    ## Example
    Fails: `anonymous_pull_enabled = true`. Passes: not set.
    """
    anonymous = resource.attr("anonymous_pull")
    if anonymous.value is True:
        yield problem(anonymous, "anonymous pull is enabled")
