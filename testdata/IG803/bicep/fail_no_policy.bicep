resource plugin 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'plugin'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'plugin'
    networkProfile: {
      networkPlugin: 'kubenet'
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
