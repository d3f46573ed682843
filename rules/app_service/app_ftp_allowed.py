from iacguard import problem, rule, setting_problem


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
    The FTP state (`ftps_state`, ARM `ftpsState`) must be `FtpsOnly` or `Disabled`,
    in any case (the API ignores case); `AllAllowed` and any other value fail.
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
    if not isinstance(state.value, str) or state.value.lower() in _SAFE:
        return
    if state.value.lower() == "allallowed":
        yield setting_problem(state, f"FTP state {state.value} accepts plain FTP deployments", "FTP state AllAllowed (the default when not set) accepts plain FTP deployments")
    else:
        yield problem(state, f"FTP state {state.value} is neither FtpsOnly nor Disabled, so plain FTP may be accepted")


_SAFE = ("ftpsonly", "disabled")  # the API compares the state without regard to case
