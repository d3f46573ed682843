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
    A system or user assigned identity (Terraform `identity` block, ARM and Bicep
    `identity.type` at the top of the resource). No identity fails, and so does the
    type `None`.

    ## Why it matters
    Without a managed identity the app reaches databases, storage and Key Vault with
    secrets kept in its settings, which leak and are rarely rotated.

    ## How to fix
    Give the app a system or user assigned identity and grant it access to what the
    app uses.

    ### Terraform
    Add `identity { type = "SystemAssigned" }` (or `"UserAssigned"` with
    `identity_ids`).

    ### ARM
    Add `"identity": { "type": "SystemAssigned" }` beside the site's `properties`
    (or `"UserAssigned"` with `userAssignedIdentities`).

    ### Bicep
    Add `identity: { type: 'SystemAssigned' }` beside the site's `properties` (or
    `'UserAssigned'` with `userAssignedIdentities`).

    ## Example
    ### Terraform
    Fails: no `identity` block, or `identity { type = "None" }`. Passes:
    `identity { type = "SystemAssigned" }`.

    ### ARM
    Fails: no `identity`, or `"identity": { "type": "None" }`. Passes:
    `"identity": { "type": "SystemAssigned" }`.

    ### Bicep
    Fails: no `identity`, or `identity: { type: 'None' }`. Passes:
    `identity: { type: 'SystemAssigned' }`.
    """
    identity = resource.attr("identity")
    if identity.unknown:
        return
    name = resource.native_name("identity")
    if not identity.is_set:
        yield problem(identity, f"{name} is not set, so the app has no managed identity")
    elif isinstance(identity.value, str) and identity.value.lower() == "none":
        yield problem(identity, f"{name} is None, so the app has no managed identity")
