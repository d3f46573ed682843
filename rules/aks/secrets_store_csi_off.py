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
    A `key_vault_secrets_provider` block (before azurerm 3.0:
    `addon_profile { azure_keyvault_secrets_provider { enabled = true } }`; ARM
    `addonProfiles.azureKeyvaultSecretsProvider`).

    ## Why it matters
    Without it, workloads get secrets from Kubernetes Secrets (base64 in etcd,
    readable by anyone who can read Secrets) instead of mounting them from Key Vault
    with rotation and access policies.

    ## How to fix
    Add `key_vault_secrets_provider { secret_rotation_enabled = true }` and mount
    secrets with SecretProviderClass objects.

    ## Example
    Fails: no `key_vault_secrets_provider`. Passes: the block above.
    """
    provider = resource.attr("secrets_store_csi")
    if provider.value is False:
        yield problem(resource.location, "the Key Vault secrets provider add-on is not enabled")
