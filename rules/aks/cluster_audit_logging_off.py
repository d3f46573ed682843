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
    The monitoring add-on connecting the cluster to a Log Analytics workspace must
    be enabled: Terraform an `oms_agent` block (before azurerm 3.0
    `addon_profile { oms_agent { enabled = true } }`), ARM and Bicep
    `properties.addonProfiles.omsagent.enabled`, under an API version from
    2018-03-31 (the first, 2017-08-31, has no add-ons).

    ## Why it matters
    Without it there is no searchable trail of what ran and who administered the
    cluster: incidents cannot be investigated after the fact.

    ## How to fix
    Enable the monitoring add-on with a workspace, and send the control plane's audit
    logs to the same workspace with a diagnostic setting
    (`Microsoft.Insights/diagnosticSettings`, Terraform
    `azurerm_monitor_diagnostic_setting`).

    ### Terraform
    Add `oms_agent { log_analytics_workspace_id = ... }`.

    ### ARM
    Set `"addonProfiles": { "omsagent": { "enabled": true, "config": {
    "logAnalyticsWorkspaceResourceID": ... } } }` in `properties`.

    ### Bicep
    Set `addonProfiles: { omsagent: { enabled: true, config: {
    logAnalyticsWorkspaceResourceID: ... } } }` in `properties`.

    ## Example
    ### Terraform
    Fails: no `oms_agent`. Passes:
    `oms_agent { log_analytics_workspace_id = azurerm_log_analytics_workspace.main.id }`.

    ### ARM
    Fails: no `omsagent` add-on, or `"omsagent": { "enabled": false }`. Passes:
    `"omsagent": { "enabled": true, "config": { "logAnalyticsWorkspaceResourceID": "[resourceId(...)]" } }`.

    ### Bicep
    Fails: no `omsagent` add-on, or `omsagent: { enabled: false }`. Passes:
    `omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: workspace.id } }`.
    """
    monitoring = resource.attr("monitoring_enabled")
    if monitoring.value is False:
        name = resource.native_name("monitoring_enabled")
        yield problem(monitoring, f"the monitoring add-on ({name}) is not enabled, so no agent sends cluster logs to Log Analytics")
