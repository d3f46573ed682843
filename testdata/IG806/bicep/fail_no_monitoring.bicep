resource unmonitored 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'unmonitored'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'unmonitored'
    addonProfiles: {
      omsagent: {
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
