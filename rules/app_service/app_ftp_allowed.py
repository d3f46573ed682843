from iacguard import rule, setting_problem


@rule(
    code="IG503",
    name="app-ftp-allowed",
    severity="medium",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV2_AZURE_39"], "cis": ["Azure 9.10"]},
)
def check(resource, options):
    """The app accepts deployments over plain FTP.

    ## What it checks
    The FTP state (`ftps_state`, ARM `ftpsState`) must be `FtpsOnly` or `Disabled`.
    `AllAllowed` fails, and so does an unset state where the default allows FTP: the
    legacy azurerm resources and ARM leave it to the API default, `AllAllowed`; the
    current azurerm resources default to `Disabled`.

    ## Why it matters
    FTP sends the deployment credentials and the application's files in clear text;
    whoever captures them can replace the application.

    ## How to fix
    Set `ftps_state = "Disabled"` (or `"FtpsOnly"` if FTP deployment is still needed).

    ## Example
    Fails: `ftps_state = "AllAllowed"`. Passes: `ftps_state = "Disabled"`.
    """
    state = resource.attr("ftps_state")
    if state.value == "AllAllowed":
        yield setting_problem(state, "FTP state AllAllowed accepts plain FTP deployments", "FTP state AllAllowed (the default when not set) accepts plain FTP deployments")
