// Azure CNI Powered by Cilium enforces network policies itself: no networkPolicy is needed.
resource overlay 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: 'overlay'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: 'overlay'
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
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
