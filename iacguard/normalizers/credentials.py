"""The resource attributes that hold a credential, in each Azure format.

Any resource can carry one, not only the kinds the model knows (a virtual machine is
no container), so the Terraform normalizer and the ARM reader (which Bicep goes
through) emit a `cloud_resource` for every resource of a type listed here that sets
one of these attributes, with its `credentials`. This table is the only place that
knows which native attribute holds which credential.

Each type of one table has its twin in the other where both formats can declare
it (`azurerm_cosmosdb_postgresql_cluster` and `serverGroupsv2`; the legacy
`azurerm_sql_managed_instance`, `azurerm_mssql_managed_instance` and
`managedInstances`), except for settings ARM keeps elsewhere: a web app's registry
password and a function app's storage key are app settings in ARM (IG210 reads
those).

Paths are dotted. In Terraform every step before the last names a nested block (all
the blocks of that type). In ARM a step names a property; `[]` after it means each
item of an array and `*` each property of an object (a map keyed by name).

Sources: the azurerm provider documentation (`website/docs/r/*.html.markdown`,
the legacy resources as they were documented in provider v3) and the Azure resource
reference (learn.microsoft.com/azure/templates: Microsoft.Compute virtualMachines
and virtualMachineScaleSets `osProfile`, Microsoft.Sql, Microsoft.DBforPostgreSQL,
Microsoft.DBforMySQL and Microsoft.DBforMariaDB servers, Microsoft.DBforPostgreSQL
serverGroupsv2 (Azure Cosmos DB for PostgreSQL clusters), Microsoft.Synapse
workspaces, Microsoft.ContainerService managedClusters `windowsProfile` and
`servicePrincipalProfile`, Microsoft.ContainerInstance containerGroups,
Microsoft.Web sites `siteConfig` and sites/config 'connectionstrings',
'azurestorageaccounts' and 'authsettings', Microsoft.Network connections).
"""

from __future__ import annotations

from typing import Any

from iacguard.model import CONNECTION_STRING, Attr, Credential, Location
from iacguard.normalizers.convert import KEY_VAULT_REFERENCE, convert

ADMIN_PASSWORD = "administrator password"
SERVICE_PRINCIPAL_SECRET = "service principal secret"
REGISTRY_PASSWORD = "registry password"
SIGN_IN_SECRET = "sign-in provider secret"
STORAGE_KEY = "storage account key"
SHARED_KEY = "shared key"


def _by_type(*rows: tuple[tuple[str, ...], str, str]) -> dict[str, dict[str, str]]:
    """Rows of (native types, attribute path, what it holds) as type -> path -> what."""
    table: dict[str, dict[str, str]] = {}
    for native_types, path, holds in rows:
        for native_type in native_types:
            table.setdefault(native_type, {})[path] = holds
    return table


_NEW_WEB_APPS = (
    "azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot", "azurerm_windows_web_app_slot",
)
_NEW_FUNCTION_APPS = (
    "azurerm_linux_function_app", "azurerm_windows_function_app",
    "azurerm_linux_function_app_slot", "azurerm_windows_function_app_slot",
)
_LEGACY_APPS = ("azurerm_app_service", "azurerm_app_service_slot", "azurerm_function_app", "azurerm_function_app_slot")
_FLEX_FUNCTION_APPS = ("azurerm_function_app_flex_consumption",)
_APPS = (*_NEW_WEB_APPS, *_NEW_FUNCTION_APPS, *_LEGACY_APPS)

TERRAFORM = _by_type(
    (("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
      "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set"), "admin_password", ADMIN_PASSWORD),
    (("azurerm_orchestrated_virtual_machine_scale_set",), "os_profile.linux_configuration.admin_password", ADMIN_PASSWORD),
    (("azurerm_orchestrated_virtual_machine_scale_set",), "os_profile.windows_configuration.admin_password", ADMIN_PASSWORD),
    (("azurerm_virtual_machine", "azurerm_virtual_machine_scale_set"), "os_profile.admin_password", ADMIN_PASSWORD),
    (("azurerm_mssql_server", "azurerm_mssql_managed_instance", "azurerm_sql_server", "azurerm_sql_managed_instance",
      "azurerm_postgresql_server", "azurerm_mysql_server", "azurerm_mariadb_server", "azurerm_cosmosdb_postgresql_cluster"),
     "administrator_login_password", ADMIN_PASSWORD),
    (("azurerm_postgresql_flexible_server", "azurerm_mysql_flexible_server"), "administrator_password", ADMIN_PASSWORD),
    (("azurerm_synapse_workspace",), "sql_administrator_login_password", ADMIN_PASSWORD),
    (("azurerm_kubernetes_cluster",), "windows_profile.admin_password", ADMIN_PASSWORD),
    (("azurerm_kubernetes_cluster",), "service_principal.client_secret", SERVICE_PRINCIPAL_SECRET),
    (("azurerm_container_group",), "image_registry_credential.password", REGISTRY_PASSWORD),
    (_NEW_WEB_APPS, "site_config.application_stack.docker_registry_password", REGISTRY_PASSWORD),
    (_NEW_FUNCTION_APPS, "site_config.application_stack.docker.registry_password", REGISTRY_PASSWORD),
    ((*_APPS, *_FLEX_FUNCTION_APPS), "connection_string.value", CONNECTION_STRING),
    (_APPS, "storage_account.access_key", STORAGE_KEY),
    (("azurerm_function_app", "azurerm_function_app_slot", *_NEW_FUNCTION_APPS), "storage_account_access_key", STORAGE_KEY),
    (_FLEX_FUNCTION_APPS, "storage_access_key", STORAGE_KEY),
    *(((*_APPS, *_FLEX_FUNCTION_APPS), f"auth_settings.{provider}.{secret}", SIGN_IN_SECRET) for provider, secret in (
        ("active_directory", "client_secret"), ("facebook", "app_secret"), ("github", "client_secret"),
        ("google", "client_secret"), ("microsoft", "client_secret"), ("twitter", "consumer_secret"),
    )),
    (("azurerm_virtual_network_gateway_connection",), "shared_key", SHARED_KEY),
)

_SITES = ("microsoft.web/sites", "microsoft.web/sites/slots")
# `config` children take the properties their name says ('web', 'connectionstrings',
# 'azurestorageaccounts', 'authsettings'); each path below fits one of them only.
_SITE_CONFIG = ("microsoft.web/sites/config", "microsoft.web/sites/slots/config")

ARM = _by_type(
    (("microsoft.compute/virtualmachines",), "properties.osProfile.adminPassword", ADMIN_PASSWORD),
    (("microsoft.compute/virtualmachinescalesets",), "properties.virtualMachineProfile.osProfile.adminPassword", ADMIN_PASSWORD),
    (("microsoft.sql/servers", "microsoft.sql/managedinstances", "microsoft.dbforpostgresql/flexibleservers",
      "microsoft.dbforpostgresql/servers", "microsoft.dbforpostgresql/servergroupsv2", "microsoft.dbformysql/flexibleservers",
      "microsoft.dbformysql/servers", "microsoft.dbformariadb/servers"), "properties.administratorLoginPassword", ADMIN_PASSWORD),
    (("microsoft.synapse/workspaces",), "properties.sqlAdministratorLoginPassword", ADMIN_PASSWORD),
    (("microsoft.containerservice/managedclusters",), "properties.windowsProfile.adminPassword", ADMIN_PASSWORD),
    (("microsoft.containerservice/managedclusters",), "properties.servicePrincipalProfile.secret", SERVICE_PRINCIPAL_SECRET),
    (("microsoft.containerinstance/containergroups",), "properties.imageRegistryCredentials[].password", REGISTRY_PASSWORD),
    (_SITES, "properties.siteConfig.connectionStrings[].connectionString", CONNECTION_STRING),
    (_SITES, "properties.siteConfig.azureStorageAccounts.*.accessKey", STORAGE_KEY),
    (_SITE_CONFIG, "properties.connectionStrings[].connectionString", CONNECTION_STRING),
    (_SITE_CONFIG, "properties.azureStorageAccounts.*.accessKey", STORAGE_KEY),
    (_SITE_CONFIG, "properties.*.value", CONNECTION_STRING),
    (_SITE_CONFIG, "properties.*.accessKey", STORAGE_KEY),
    *((_SITE_CONFIG, f"properties.{secret}", SIGN_IN_SECRET) for secret in (
        "clientSecret", "facebookAppSecret", "gitHubClientSecret", "googleClientSecret",
        "microsoftAccountClientSecret", "twitterConsumerSecret",
    )),
    (("microsoft.network/connections",), "properties.sharedKey", SHARED_KEY),
)


def credential(native: str, holds: str, value: Any, location: Location) -> Credential:
    """A credential attribute's value, named by its `native` path, literal unless the
    platform fetches it (a Key Vault reference) or it cannot be resolved."""
    text = convert(value, str)
    literal = isinstance(text, str) and not text.startswith(KEY_VAULT_REFERENCE)
    return Credential(holds, Attr(text, location, native=native), literal)
