resource firstapi 'Microsoft.ContainerService/managedClusters@2017-08-31' = {
  name: 'firstapi'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'firstapi'
    networkProfile: {
      networkPlugin: 'azure'
      networkPolicy: 'calico'
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
