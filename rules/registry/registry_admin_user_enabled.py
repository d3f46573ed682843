from iacguard import problem, rule, set_to, unsafe_fix


@rule(
    code="IG701",
    name="registry-admin-user-enabled",
    severity="high",
    kinds=("registry",),
    tags=("azure", "container-registry", "identity"),
    references={"checkov": ["CKV_AZURE_137"]},
    fix=unsafe_fix("terraform", "arm", "bicep"),
)
def check(resource, options):
    """The container registry's admin user is enabled.

    ## What it checks
    The admin user setting (Terraform `admin_enabled`, ARM and Bicep
    `properties.adminUserEnabled`) must not be true. Unset passes: the admin user is
    off by default.

    ## Why it matters
    The admin user is one shared username and password with push and pull rights on
    every repository. It cannot be scoped, is not tied to a person or workload, and
    typically ends up copied into pipelines and app settings.

    ## How to fix
    Disable the admin user and grant the AcrPull or AcrPush role to the managed
    identities or service principals that pull and push. The fix turns the admin
    user off. It is unsafe, as every Azure setting fix: whatever still logs in with
    the admin credentials (a pipeline, an App Service pulling the image) fails.

    ### Terraform
    Remove `admin_enabled` or set `admin_enabled = false`, and grant the roles with
    `azurerm_role_assignment` resources.

    ### ARM
    Remove `adminUserEnabled` from `properties` or set `"adminUserEnabled": false`,
    and grant the roles with `Microsoft.Authorization/roleAssignments` resources.

    ### Bicep
    Remove `adminUserEnabled` from `properties` or set `adminUserEnabled: false`, and
    grant the roles with `Microsoft.Authorization/roleAssignments` resources.

    ## Example
    ### Terraform
    Fails: `admin_enabled = true`. Passes: no `admin_enabled`, or
    `admin_enabled = false`.

    ### ARM
    Fails: `"properties": { "adminUserEnabled": true }`. Passes: no
    `adminUserEnabled`, or `"adminUserEnabled": false`.

    ### Bicep
    Fails: `properties: { adminUserEnabled: true }`. Passes: no `adminUserEnabled`,
    or `adminUserEnabled: false`.
    """
    admin = resource.attr("admin_enabled")
    if admin.value is True:
        name = resource.native_name("admin_enabled")
        yield problem(admin, f"{name} is true, so the registry has a shared admin user with push and pull rights", fix=set_to("admin_enabled", False, f"Set {name} to false"))
