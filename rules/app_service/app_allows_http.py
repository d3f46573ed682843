from iacguard import rule, set_to, setting_problem, unsafe_fix


@rule(
    code="IG501",
    name="app-allows-http",
    severity="high",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_14"], "cis": ["Azure 9.2"]},
    fix=unsafe_fix("terraform", "arm", "bicep"),
)
def check(resource, options):
    """The web or function app accepts plain HTTP.

    ## What it checks
    HTTPS only (Terraform `https_only`, ARM and Bicep `properties.httpsOnly`) must be
    true on App Service and Function Apps, slots included. Unset fails: the platform
    default is false. A value from a variable that cannot be resolved is not reported.

    ## Why it matters
    Over HTTP, credentials, session cookies and API payloads cross the network in
    clear text, and a client can be downgraded by anyone on the path.

    ## How to fix
    Turn HTTPS only on for the app and for each of its slots; App Service then
    redirects HTTP requests to HTTPS. The fix sets it where the resource declares
    it, or adds it. It is unsafe, as every Azure setting fix: clients that still
    call the app over plain HTTP get redirected, which some of them do not follow.

    ### Terraform
    Set `https_only = true` on the app or slot resource.

    ### ARM
    Set `"httpsOnly": true` in the `properties` of the `Microsoft.Web/sites` (or
    `sites/slots`) resource.

    ### Bicep
    Set `httpsOnly: true` in the `properties` of the `Microsoft.Web/sites` (or
    `sites/slots`) resource.

    ## Example
    ### Terraform
    Fails: an `azurerm_linux_function_app` without `https_only`, or with
    `https_only = false`. Passes: `https_only = true`.

    ### ARM
    Fails: a site whose `properties` lack `httpsOnly`, or hold
    `"httpsOnly": false`. Passes: `"properties": { "httpsOnly": true }`.

    ### Bicep
    Fails: a site whose `properties` lack `httpsOnly`, or hold `httpsOnly: false`.
    Passes: `properties: { httpsOnly: true }`.
    """
    https_only = resource.attr("https_only")
    if https_only.unknown or https_only.value is True:
        return
    name = resource.native_name("https_only")
    yield setting_problem(https_only, f"{name} is false, so the app also serves plain HTTP", f"{name} is not set and defaults to false, so the app also serves plain HTTP",
                          fix=set_to("https_only", True, f"Set {name} to true"))
