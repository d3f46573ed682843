from iacguard import rule, setting_problem


@rule(
    code="IG501",
    name="app-allows-http",
    severity="high",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_14"], "cis": ["Azure 9.2"]},
)
def check(resource, options):
    """The web or function app accepts plain HTTP.

    ## What it checks
    `https_only` (`httpsOnly`) must be true on App Service and Function Apps, slots
    included. Unset fails: the platform default is false. A value from a variable
    that cannot be resolved is not reported.

    ## Why it matters
    Over HTTP, credentials, session cookies and API payloads cross the network in
    clear text, and a client can be downgraded by anyone on the path.

    ## How to fix
    Set `https_only = true` (ARM/Bicep: `httpsOnly: true`); App Service then redirects
    HTTP requests to HTTPS.

    ## Example
    Fails: an `azurerm_linux_function_app` without `https_only`. Passes: `https_only = true`.
    """
    https_only = resource.attr("https_only")
    if https_only.unknown or https_only.value is True:
        return
    yield setting_problem(https_only, "https_only is false, so the app also serves plain HTTP", "https_only is not set and defaults to false, so the app also serves plain HTTP")
