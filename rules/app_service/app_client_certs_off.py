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
    Client certificates must be enabled (Terraform `client_certificate_enabled`,
    legacy resources `client_cert_enabled`; ARM and Bicep
    `properties.clientCertEnabled`) with the mode `Required`, the default mode
    (Terraform `client_certificate_mode`, legacy `client_cert_mode`; ARM and Bicep
    `properties.clientCertMode`). Disabled (the default) or an optional mode fails.

    ## Why it matters
    Mutual TLS lets only clients holding a trusted certificate reach the app, which
    stops unauthenticated traffic before it touches application code.

    ## How to fix
    Require client certificates; exclude health-check paths if needed.

    ### Terraform
    Set `client_certificate_enabled = true` and keep `client_certificate_mode =
    "Required"` (legacy resources: `client_cert_enabled` and `client_cert_mode`).

    ### ARM
    Set `"clientCertEnabled": true` in `properties` and keep `"clientCertMode":
    "Required"`.

    ### Bicep
    Set `clientCertEnabled: true` in `properties` and keep `clientCertMode:
    'Required'`.

    ## Example
    ### Terraform
    Fails: no `client_certificate_enabled`, or `client_certificate_mode =
    "Optional"`. Passes: `client_certificate_enabled = true`.

    ### ARM
    Fails: no `clientCertEnabled`, or `"clientCertMode": "Optional"`. Passes:
    `"properties": { "clientCertEnabled": true }`.

    ### Bicep
    Fails: no `clientCertEnabled`, or `clientCertMode: 'Optional'`. Passes:
    `properties: { clientCertEnabled: true }`.
    """
    enabled, mode = resource.attr("client_cert_enabled"), resource.attr("client_cert_mode")
    if enabled.unknown or mode.unknown:
        return
    if enabled.value is not True:
        name = resource.native_name("client_cert_enabled")
        yield setting_problem(enabled, f"{name} is false, so the app does not require client certificates", f"{name} is not set and defaults to false, so the app does not require client certificates")
    elif mode.value != "Required":
        yield problem(mode, f"{resource.native_name('client_cert_mode')} is {mode.value}, so clients need no certificate")
