resource nocsi 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'nocsi'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'nocsi'
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

resource csioff 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'csioff'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'csioff'
    addonProfiles: {
      azureKeyvaultSecretsProvider: {
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
