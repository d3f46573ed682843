resource firstapi 'Microsoft.ContainerService/managedClusters@2017-08-31' = {
  name: 'firstapi'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'firstapi'
    addonProfiles: {
      omsagent: {
        enabled: true
        config: {
          logAnalyticsWorkspaceResourceID: 'workspace-id'
        }
      }
    }
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}
