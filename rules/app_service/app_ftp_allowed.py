from iacguard import problem, rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG503",
    name="app-ftp-allowed",
    severity="medium",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_78"], "cis": ["Azure 9.10"]},
    fix=unsafe_fix("terraform", "arm", "bicep"),
)
def check(resource, options):
    """The app accepts deployments over plain FTP.

    ## What it checks
    The FTP state (Terraform `site_config.ftps_state`, ARM and Bicep
    `properties.siteConfig.ftpsState`, or `ftpsState` in a `config/web` child) must
    be `FtpsOnly` or `Disabled`, in any case (the API ignores case); `AllAllowed` and
    any other value fail. An unset state fails where the default allows FTP: the
    legacy azurerm resources and ARM leave it to the API default, `AllAllowed`; the
    current azurerm resources default to `Disabled`. A Flex Consumption function app
    (`azurerm_function_app_flex_consumption`; in ARM and Bicep a site with
    `properties.functionAppConfig`, which only that plan takes, whose `kind` is a
    `functionapp` one or not known) passes whatever it writes: One deploy is the
    only way to deploy to one, FTP is not offered. A function app whose
    `functionAppConfig` cannot be resolved is not reported; a site of another kind
    (a web app) and a slot always are, as the plan has only function apps and no
    deployment slots.

    ## Why it matters
    FTP sends the deployment credentials and the application's files in clear text;
    whoever captures them can replace the application.

    ## How to fix
    Disable FTP, or allow only FTPS if FTP deployment is still needed. The fix
    sets the state to `Disabled`. It is unsafe, as every Azure setting fix: a
    deployment pipeline that uploads over FTP or FTPS stops working.

    ### Terraform
    Set `ftps_state = "Disabled"` (or `"FtpsOnly"`) in `site_config`.

    ### ARM
    Set `"ftpsState": "Disabled"` (or `"FtpsOnly"`) in `properties.siteConfig`, or in
    the `properties` of a `Microsoft.Web/sites/config` child named `web`.

    ### Bicep
    Set `ftpsState: 'Disabled'` (or `'FtpsOnly'`) in `properties.siteConfig`, or in
    the `properties` of a `config` child named `web`.

    ## Example
    ### Terraform
    Fails: `site_config { ftps_state = "AllAllowed" }`, or an `azurerm_app_service`
    without `ftps_state`. Passes: `site_config { ftps_state = "Disabled" }`.

    ### ARM
    Fails: a site without `ftpsState`, or `"siteConfig": { "ftpsState": "AllAllowed" }`.
    Passes: `"siteConfig": { "ftpsState": "Disabled" }`.

    ### Bicep
    Fails: a site without `ftpsState`, or `siteConfig: { ftpsState: 'AllAllowed' }`.
    Passes: `siteConfig: { ftpsState: 'Disabled' }`.
    """
    state = resource.attr("ftps_state")
    if not isinstance(state.value, str) or state.value.lower() in _SAFE:
        return
    name = resource.native_name("ftps_state")
    if state.value.lower() == "allallowed":
        yield setting_problem(state, f"{name} is {state.value}, so the app accepts plain FTP deployments", f"{name} is not set and defaults to AllAllowed, so the app accepts plain FTP deployments",
                              fix=set_to("ftps_state", "Disabled", f"Set {name} to Disabled"))
    else:
        yield problem(state, f"{name} is {state.value}, neither FtpsOnly nor Disabled, so plain FTP may be accepted", fix=set_to("ftps_state", "Disabled", f"Set {name} to Disabled"))


_SAFE = ("ftpsonly", "disabled")  # the API compares the state without regard to case
