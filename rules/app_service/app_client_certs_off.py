from iacguard import problem, rule, setting_problem


@rule(
    code="IG507",
    name="app-client-certs-off",
    severity="low",
    kinds=("web_app",),
    tags=("azure", "app-service", "identity"),
    references={"checkov": ["CKV_AZURE_17"]},
)
def check(resource, options):
    """The app does not require client certificates.

    ## What it checks
    Client certificates must be enabled (`client_certificate_enabled`, legacy
    `client_cert_enabled`, ARM `clientCertEnabled`) with the mode `Required` (the
    default mode). Disabled (the default) or an optional mode fails.

    ## Why it matters
    Mutual TLS lets only clients holding a trusted certificate reach the app, which
    stops unauthenticated traffic before it touches application code.

    ## How to fix
    Set `client_certificate_enabled = true` and keep `client_certificate_mode =
    "Required"`; exclude health-check paths if needed.

    ## Example
    Fails: no `client_certificate_enabled`. Passes: `client_certificate_enabled = true`.
    """
    enabled, mode = resource.attr("client_cert_enabled"), resource.attr("client_cert_mode")
    if enabled.unknown or mode.unknown:
        return
    if enabled.value is not True:
        yield setting_problem(enabled, "client certificates are disabled", "client certificates are not enabled (the default)")
    elif mode.value != "Required":
        yield problem(mode, f"client certificate mode {mode.value} does not require a certificate")
