resource oldspelling 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'oldspelling'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'oldspelling'
    apiServerAuthorizedIPRanges: ['203.0.113.0/24']
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

resource newspelling 'Microsoft.ContainerService/managedClusters@2019-06-01' = {
  name: 'newspelling'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'newspelling'
    enableRBAC: true
    apiServerAccessProfile: {
      authorizedIPRanges: ['203.0.113.0/24']
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
