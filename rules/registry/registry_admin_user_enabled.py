from iacguard import problem, rule


@rule(
    code="IG701",
    name="registry-admin-user-enabled",
    severity="high",
    kinds=("registry",),
    tags=("azure", "container-registry", "identity"),
    references={"checkov": ["CKV_AZURE_137"]},
)
def check(resource, options):
    """The container registry's admin user is enabled.

    ## What it checks
    `admin_enabled` (ARM `adminUserEnabled`) must not be true.

    ## Why it matters
    The admin user is one shared username and password with push and pull rights on
    every repository. It cannot be scoped, is not tied to a person or workload, and
    typically ends up copied into pipelines and app settings.

    ## How to fix
    Disable it and grant AcrPull/AcrPush roles to managed identities or service
    principals instead.

    ## Example
    Fails: `admin_enabled = true`. Passes: not set, or `admin_enabled = false`.
    """
    admin = resource.attr("admin_enabled")
    if admin.value is True:
        yield problem(admin, "the registry's admin user is enabled")
