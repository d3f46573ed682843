resource unguarded 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'unguarded'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'unguarded'
    addonProfiles: {
      azurepolicy: {
        enabled: false
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
