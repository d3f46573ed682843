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
    `properties.clientCertEnabled`) with the mode `Required` (Terraform
    `client_certificate_mode`, legacy `client_cert_mode`; ARM and Bicep
    `properties.clientCertMode`). Disabled (the default) or an optional mode fails.
    The mode defaults to `Required`, except on the azurerm function apps
    (`azurerm_linux_function_app`, `azurerm_windows_function_app`, their slots and
    `azurerm_function_app_flex_consumption`), where the provider defaults it to
    `Optional`. The legacy `azurerm_function_app`
    has no `client_cert_enabled`: setting its `client_cert_mode` turns client
    certificates on. The legacy slots (`azurerm_app_service_slot`,
    `azurerm_function_app_slot`) cannot turn them on at all, so Azure's default, off,
    applies: they fail, with the resource types that replace them named.

    ## Why it matters
    Mutual TLS lets only clients holding a trusted certificate reach the app, which
    stops unauthenticated traffic before it touches application code.

    ## How to fix
    Require client certificates; exclude health-check paths if needed.

    ### Terraform
    Set `client_certificate_enabled = true` with `client_certificate_mode =
    "Required"`, which a web app has by default and a function app needs written out
    (legacy resources: `client_cert_enabled` and `client_cert_mode`; the legacy
    `azurerm_function_app`: `client_cert_mode = "Required"` alone).

    ### ARM
    Set `"clientCertEnabled": true` in `properties` and keep `"clientCertMode":
    "Required"`.

    ### Bicep
    Set `clientCertEnabled: true` in `properties` and keep `clientCertMode:
    'Required'`.

    ## Example
    ### Terraform
    Fails: no `client_certificate_enabled`, `client_certificate_mode = "Optional"`,
    or a function app with `client_certificate_enabled = true` and no mode. Passes:
    `client_certificate_enabled = true` on a web app, with `client_certificate_mode =
    "Required"` on a function app.

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
        if not enabled.native:  # a resource type that has no such setting: Azure's default applies
            yield problem(enabled, f"{resource.type} has no setting for client certificates, so the app does not require them (the default); "
                                   f"move to {resource.attr('successor').value}, which can require them")
        elif enabled.native == mode.native:  # a mode that, set, turns client certificates on
            yield problem(enabled, f"{name} is not set, so the app does not require client certificates")
        else:
            yield setting_problem(enabled, f"{name} is false, so the app does not require client certificates", f"{name} is not set and defaults to false, so the app does not require client certificates")
    elif mode.value != "Required":
        name = resource.native_name("client_cert_mode")
        yield setting_problem(mode, f"{name} is {mode.value}, so clients need no certificate", f"{name} is not set and defaults to {mode.value}, so clients need no certificate")
