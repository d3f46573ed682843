from iacguard import problem, rule


@rule(
    code="IG603",
    name="registry-password-credentials",
    severity="medium",
    kinds=("container_group",),
    tags=("azure", "container-instances", "identity"),
)
def check(resource, options):
    """Images are pulled with a registry username and password.

    ## What it checks
    Each image registry credential (Terraform `image_registry_credential`, ARM and
    Bicep `properties.imageRegistryCredentials`) must use a managed identity
    (Terraform `user_assigned_identity_id`, ARM and Bicep `identity`) rather than a
    password.

    ## Why it matters
    Registry passwords (often the registry's admin user) end up in state files and
    templates, grant push as well as pull, and are rarely rotated.

    ## How to fix
    Give the container group a user assigned identity with the AcrPull role and name
    it in the credential instead of a username and password.

    ### Terraform
    Set `user_assigned_identity_id` in the `image_registry_credential` block instead
    of `username` and `password`.

    ### ARM
    Set `"identity"` (the user assigned identity's resource id) in each
    `imageRegistryCredentials` entry instead of `"username"` and `"password"`.

    ### Bicep
    Set `identity` (the user assigned identity's resource id) in each
    `imageRegistryCredentials` entry instead of `username` and `password`.

    ## Example
    ### Terraform
    Fails: `image_registry_credential { server = "...", username = "...", password = var.pw }`.
    Passes: `image_registry_credential { server = "...", user_assigned_identity_id = azurerm_user_assigned_identity.pull.id }`.

    ### ARM
    Fails: `{ "server": "...", "username": "...", "password": "[parameters('pw')]" }`.
    Passes: `{ "server": "...", "identity": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'pull')]" }`.

    ### Bicep
    Fails: `{ server: '...', username: '...', password: pw }`. Passes:
    `{ server: '...', identity: pull.id }`.
    """
    for credential in resource.value("registry_credentials"):
        if credential.value == "password":
            yield problem(credential, f"a credential in {resource.native_name('registry_credentials')} uses a password instead of a managed identity")
