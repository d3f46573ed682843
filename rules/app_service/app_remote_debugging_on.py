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
    `remote_debugging_enabled` (ARM `remoteDebuggingEnabled`) must not be true.

    ## Why it matters
    Remote debugging opens extra inbound ports and lets a debugger attach to the
    running process: a path to read memory and change behaviour in production.

    ## How to fix
    Remove the setting or set it to false; debug in a separate slot or locally.

    ## Example
    Fails: `remote_debugging_enabled = true`. Passes: not set.
    """
    debugging = resource.attr("remote_debugging")
    if debugging.value is True:
        yield problem(debugging, "remote debugging is enabled")
