resource before2020 'Microsoft.ContainerService/managedClusters@2019-08-01' = {
  name: 'before2020'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'before2020'
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}

resource norbacyet 'Microsoft.ContainerService/managedClusters@2017-08-31' = {
  name: 'norbacyet'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'norbacyet'
    enableRBAC: true
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}
