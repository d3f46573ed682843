resource prod 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'prod'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'prod'
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
    }
    apiServerAccessProfile: {
      authorizedIPRanges: ['203.0.113.0/24']
    }
    networkProfile: {
      networkPlugin: 'azure'
      networkPolicy: 'cilium'
    }
    securityProfile: {
      defender: {
        logAnalyticsWorkspaceResourceId: 'workspace-id'
        securityMonitoring: {
          enabled: true
        }
      }
    }
    addonProfiles: {
      azurepolicy: {
        enabled: true
      }
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: 'workspace-id'
        }
      }
      azureKeyvaultSecretsProvider: {
        enabled: true
      }
    }
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
        mode: 'System'
      }
    ]
  }
}
