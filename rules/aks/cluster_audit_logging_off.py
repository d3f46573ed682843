from iacguard import problem, rule


@rule(
    code="IG806",
    name="cluster-audit-logging-off",
    severity="medium",
    kinds=("k8s_cluster",),
    tags=("azure", "aks", "logging"),
    references={"checkov": ["CKV_AZURE_4"]},
)
def check(resource, options):
    """The cluster sends no monitoring data to Log Analytics.

    ## What it checks
    An `oms_agent` block (before azurerm 3.0:
    `addon_profile { oms_agent { enabled = true } }`; ARM `addonProfiles.omsagent`)
    connecting the cluster to a Log Analytics workspace.

    ## Why it matters
    Without it there is no searchable trail of what ran and who administered the
    cluster: incidents cannot be investigated after the fact.

    ## How to fix
    Add `oms_agent { log_analytics_workspace_id = ... }`, and send the control plane's
    audit logs to the same workspace with a diagnostic setting.

    ## Example
    Fails: no `oms_agent`. Passes: `oms_agent { log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id }`.
    """
    monitoring = resource.attr("monitoring_enabled")
    if monitoring.value is False:
        yield problem(resource.location, "no monitoring agent sends cluster logs to Log Analytics")
