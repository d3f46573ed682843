from iacguard import problem, rule, set_to, unsafe_fix

_OLD = ("1.0", "1.1")


@rule(
    code="IG502",
    name="app-tls-below-1-2",
    severity="high",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_15"], "cis": ["Azure 9.3"]},
    fix=unsafe_fix("terraform", "arm", "bicep"),
)
def check(resource, options):
    """The app accepts TLS versions older than 1.2.

    ## What it checks
    The minimum inbound TLS version (Terraform `site_config.minimum_tls_version`,
    legacy resources `site_config.min_tls_version`; ARM and Bicep
    `properties.siteConfig.minTlsVersion`, or `minTlsVersion` in a `config/web`
    child) must be 1.2 or newer. Unset passes: the default is 1.2.

    ## Why it matters
    TLS 1.0 and 1.1 have known weaknesses and are deprecated; allowing them lets
    clients (or an attacker forcing a downgrade) negotiate weak protection.

    ## How to fix
    Require TLS 1.2 or 1.3, or remove the setting to get the 1.2 default. The fix
    sets 1.2. It is unsafe, as every Azure setting fix: clients that only speak an
    older TLS can no longer connect.

    ### Terraform
    Set `minimum_tls_version = "1.2"` (or `"1.3"`) in `site_config`; the legacy
    `azurerm_app_service` and `azurerm_function_app` call it `min_tls_version`.

    ### ARM
    Set `"minTlsVersion": "1.2"` (or `"1.3"`) in `properties.siteConfig`, or in the
    `properties` of a `Microsoft.Web/sites/config` child named `web`.

    ### Bicep
    Set `minTlsVersion: '1.2'` (or `'1.3'`) in `properties.siteConfig`, or in the
    `properties` of a `config` child named `web`.

    ## Example
    ### Terraform
    Fails: `site_config { minimum_tls_version = "1.0" }`. Passes:
    `site_config { minimum_tls_version = "1.2" }`.

    ### ARM
    Fails: `"siteConfig": { "minTlsVersion": "1.0" }`. Passes:
    `"siteConfig": { "minTlsVersion": "1.2" }`.

    ### Bicep
    Fails: `siteConfig: { minTlsVersion: '1.0' }`. Passes:
    `siteConfig: { minTlsVersion: '1.2' }`.
    """
    version = resource.attr("min_tls_version")
    if isinstance(version.value, str) and version.value.strip() in _OLD:
        name = resource.native_name("min_tls_version")
        yield problem(version, f"{name} is {version.value}, so clients can connect with TLS older than 1.2", fix=set_to("min_tls_version", "1.2", f"Set {name} to 1.2"))
