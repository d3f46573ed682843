resource private 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'private'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'private'
    apiServerAccessProfile: {
      enablePrivateCluster: true
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
