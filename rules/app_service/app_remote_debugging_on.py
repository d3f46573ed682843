from iacguard import problem, rule


@rule(
    code="IG504",
    name="app-remote-debugging-on",
    severity="medium",
    kinds=("web_app",),
    tags=("azure", "app-service"),
    references={"checkov": ["CKV_AZURE_72"]},
)
def check(resource, options):
    """Remote debugging is enabled.

    ## What it checks
    Remote debugging (Terraform `site_config.remote_debugging_enabled`, ARM and Bicep
    `properties.siteConfig.remoteDebuggingEnabled`, or `remoteDebuggingEnabled` in a
    `config/web` child) must not be true.

    ## Why it matters
    Remote debugging opens extra inbound ports and lets a debugger attach to the
    running process: a path to read memory and change behaviour in production.

    ## How to fix
    Remove the setting or set it to false; debug in a separate slot or locally.

    ### Terraform
    Remove `remote_debugging_enabled` from `site_config`, or set it to `false`.

    ### ARM
    Remove `remoteDebuggingEnabled` from `properties.siteConfig`, or set it to
    `false`.

    ### Bicep
    Remove `remoteDebuggingEnabled` from `properties.siteConfig`, or set it to
    `false`.

    ## Example
    ### Terraform
    Fails: `site_config { remote_debugging_enabled = true }`. Passes: not set.

    ### ARM
    Fails: `"siteConfig": { "remoteDebuggingEnabled": true }`. Passes: not set.

    ### Bicep
    Fails: `siteConfig: { remoteDebuggingEnabled: true }`. Passes: not set.
    """
    debugging = resource.attr("remote_debugging")
    if debugging.value is True:
        yield problem(debugging, f"{resource.native_name('remote_debugging')} is true, so a debugger can attach to the running app")
