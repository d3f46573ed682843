resource norbac 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'norbac'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'norbac'
    enableRBAC: false
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
