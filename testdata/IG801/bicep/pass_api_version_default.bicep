resource before2020 'Microsoft.ContainerService/managedClusters@2019-08-01' = {
  name: 'before2020'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'before2020'
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

resource rbacbydefault 'Microsoft.ContainerService/managedClusters@2020-04-01' = {
  name: 'rbacbydefault'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'rbacbydefault'
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
      }
    ]
  }
}
