from iacguard import problem, rule


@rule(
    code="IG808",
    name="secrets-store-csi-off",
    severity="low",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "secrets"),
)
def check(resource, options):
    """The Key Vault secrets provider is not enabled.

    ## What it checks
    The Key Vault secrets provider add-on (the Secrets Store CSI driver) must be
    enabled: Terraform a `key_vault_secrets_provider` block (before azurerm 3.0
    `addon_profile { azure_keyvault_secrets_provider { enabled = true } }`), ARM and
    Bicep `properties.addonProfiles.azureKeyvaultSecretsProvider.enabled`.

    ## Why it matters
    Without it, workloads get secrets from Kubernetes Secrets (base64 in etcd,
    readable by anyone who can read Secrets) instead of mounting them from Key Vault
    with rotation and access policies.

    ## How to fix
    Enable the add-on with secret rotation, and mount secrets with
    SecretProviderClass objects.

    ### Terraform
    Add `key_vault_secrets_provider { secret_rotation_enabled = true }`.

    ### ARM
    Set `"addonProfiles": { "azureKeyvaultSecretsProvider": { "enabled": true,
    "config": { "enableSecretRotation": "true" } } }` in `properties`.

    ### Bicep
    Set `addonProfiles: { azureKeyvaultSecretsProvider: { enabled: true, config: {
    enableSecretRotation: 'true' } } }` in `properties`.

    ## Example
    ### Terraform
    Fails: no `key_vault_secrets_provider`. Passes: the block above.

    ### ARM
    Fails: no `azureKeyvaultSecretsProvider` add-on. Passes: the add-on above.

    ### Bicep
    Fails: no `azureKeyvaultSecretsProvider` add-on. Passes: the add-on above.
    """
    provider = resource.attr("secrets_store_csi")
    if provider.value is False:
        name = resource.native_name("secrets_store_csi")
        yield problem(provider, f"the Key Vault secrets provider add-on ({name}) is not enabled")
