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
    Each image registry credential (`image_registry_credential`, ARM
    `imageRegistryCredentials`) must use a managed identity
    (`user_assigned_identity_id`, ARM `identity`) rather than a password.

    ## Why it matters
    Registry passwords (often the registry's admin user) end up in state files and
    templates, grant push as well as pull, and are rarely rotated.

    ## How to fix
    Give the container group a user assigned identity with the AcrPull role and set
    `user_assigned_identity_id` in the credential instead of `username`/`password`.

    ## Example
    Fails: `image_registry_credential { server = "...", username = "...", password = var.pw }`.
    Passes: `image_registry_credential { server = "...", user_assigned_identity_id = azurerm_user_assigned_identity.pull.id }`.
    """
    for credential in resource.value("registry_credentials"):
        if credential.value == "password":
            yield problem(credential, "the image registry credential uses a password instead of a managed identity")
