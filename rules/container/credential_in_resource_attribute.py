
from iacguard import problem, rule
from iacguard.lazy import regex
from iacguard.model import CONNECTION_STRING

from ._secrets import not_a_secret

# The fields of a connection string that carry its secret (SQL, Storage, Service Bus,
# Event Hubs, Cosmos DB, Redis), compared in lower case without spaces.
_SECRET_FIELDS = frozenset({"password", "pwd", "accountkey", "sharedaccesskey", "sharedaccesssignature"})
_FIELD = regex(r"""(?:^|[;,])\s*([^=;,]+?)\s*=\s*("[^"]*"|'[^']*'|[^;,]*)""")
_HINT = "pass it in as a secret input without a default, or reference Key Vault"


@rule(
    code="IG214",
    name="credential-in-resource-attribute",
    severity="high",
    kinds=("cloud_resource",),
    tags=("secrets", "azure"),
    references={"checkov": ["CKV_SECRET_6", "CKV_AZURE_239"]},
)
def check(resource, options):
    """A resource attribute that holds a credential is set to a literal value.

    ## What it checks
    The attributes of Azure resources that hold a password, key or secret, in
    Terraform, ARM and Bicep alike: virtual machine and scale set administrator
    passwords (Terraform `admin_password`, ARM and Bicep
    `properties.osProfile.adminPassword`), database administrator passwords (SQL
    servers and managed instances, PostgreSQL, MySQL, MariaDB, Azure Cosmos DB for
    PostgreSQL clusters, Synapse), the AKS service principal secret and
    Windows administrator password, container registry passwords (Terraform
    `image_registry_credential.password` and `docker_registry_password`, ARM and
    Bicep `properties.imageRegistryCredentials[].password`), App Service sign-in
    provider secrets, storage account keys and connection strings, and VPN
    connection shared keys. Findings name the attribute by its path in the file's
    format (`properties.imageRegistryCredentials[0].password`). A value is
    reported when it is written in the files scanned: a string literal, or a
    variable, local or parameter that gets one (its default, a module call's
    argument). The finding points at that literal, so a `securestring` or `@secure()`
    parameter with a literal default is reported at its default, and a Terraform or
    Bicep module input at the caller's argument. A connection string is reported
    when its `Password`, `Pwd`, `AccountKey`, `SharedAccessKey` or
    `SharedAccessSignature` field is written out. Not reported: references
    (`var.x` without default, `random_password.x.result`, `[parameters('p')]` without
    default, `listKeys(...)`, Key Vault references), empty values and placeholders
    (`<password>`, `changeme`, `xxxx`, ... as for IG210).

    ## Why it matters
    A credential in a template is readable by everyone who can read the repository,
    its history, its forks and the build logs, and it rarely gets rotated. Terraform
    also keeps it in plan and state files; ARM keeps a parameter's default in the
    deployment history.

    ## How to fix
    Pass the credential in at deployment from a secret store, or better, remove it:
    use SSH keys, managed identities for registries and databases, and Key Vault
    references for connection strings.

    ### Terraform
    Use a variable without default marked `sensitive = true`, filled at deployment
    (`TF_VAR_...`, a pipeline secret), or a `random_password` whose result is stored
    in Key Vault with `azurerm_key_vault_secret`.

    ### ARM
    Use a `securestring` parameter without `defaultValue`, filled from a Key Vault
    reference in the parameter file (`"reference": { "keyVault": { "id": ... },
    "secretName": ... }`).

    ### Bicep
    Use a `@secure()` parameter without default, filled from Key Vault: a
    `getSecret()` call on an `existing` vault passed to a module, or a Key Vault
    reference in the parameter file.

    ## Example
    ### Terraform
    Fails: `admin_password = "P@ssw0rd1234!"`, or `admin_password = var.password`
    where the variable's default is that literal. Passes:
    `admin_password = random_password.vm.result`; a `sensitive` variable without
    default.

    ### ARM
    Fails: `"adminPassword": "P@ssw0rd1234!"`, or
    `"adminPassword": "[parameters('adminPassword')]"` where the `securestring`
    parameter's `defaultValue` is that literal. Passes: the same parameter without
    `defaultValue`.

    ### Bicep
    Fails: `@secure() param adminPassword string = 'P@ssw0rd1234!'` used as
    `adminPassword: adminPassword`. Passes: `@secure() param adminPassword string`
    (no default).
    """
    for credential in resource.value("credentials"):
        if not credential.literal:
            continue
        if credential.holds == CONNECTION_STRING:
            field = _literal_secret_field(credential.value.value)
            if field is not None:
                yield problem(credential.value, f"{credential.value.native} holds a connection string with a literal {field}; {_HINT}")
        elif not not_a_secret(credential.value.value):
            yield problem(credential.value, f"{credential.value.native} holds a literal {credential.holds}; {_HINT}")


def _literal_secret_field(connection_string: str) -> str | None:
    """The first field carrying the connection string's secret that is written out."""
    for field, value in _FIELD.findall(connection_string):
        if field.replace(" ", "").lower() in _SECRET_FIELDS and not not_a_secret(value.strip("\"'")):
            return field
    return None
