resource ranges2019 'Microsoft.ContainerService/managedClusters@2019-06-01' = {
  name: 'ranges2019'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'ranges2019'
    enableRBAC: true
    apiServerAuthorizedIPRanges: ['203.0.113.0/24']
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}
