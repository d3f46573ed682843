resource defaults 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'defaults'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'defaults'
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

resource explicit 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'explicit'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'explicit'
    disableLocalAccounts: false
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
