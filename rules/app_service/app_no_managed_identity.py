from iacguard import problem, rule


@rule(
    code="IG505",
    name="app-no-managed-identity",
    severity="low",
    kinds=("web_app",),
    tags=("azure", "app-service", "identity"),
    references={"checkov": ["CKV_AZURE_16"]},
)
def check(resource, options):
    """The app has no managed identity.

    ## What it checks
    An `identity` block (ARM `identity`) with a system or user assigned identity.
    `type = "None"` fails too.

    ## Why it matters
    Without a managed identity the app reaches databases, storage and Key Vault with
    secrets kept in its settings, which leak and are rarely rotated.

    ## How to fix
    Add `identity { type = "SystemAssigned" }` (or a user assigned identity) and grant
    it access to what the app uses.

    ## Example
    Fails: no `identity` block. Passes: `identity { type = "SystemAssigned" }`.
    """
    identity = resource.attr("identity")
    if identity.unknown:
        return
    if not identity.is_set:
        yield problem(identity, "the app has no managed identity")
    elif isinstance(identity.value, str) and identity.value.lower() == "none":
        yield problem(identity, "the app's identity type is None")
