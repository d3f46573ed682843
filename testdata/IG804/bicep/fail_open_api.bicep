resource open 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'open'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'open'
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

resource empty 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'empty'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'empty'
    apiServerAccessProfile: {
      authorizedIPRanges: []
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
