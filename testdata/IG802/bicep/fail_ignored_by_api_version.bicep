resource tooearly 'Microsoft.ContainerService/managedClusters@2021-03-01' = {
  name: 'tooearly'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'tooearly'
    enableRBAC: true
    disableLocalAccounts: true
    aadProfile: {
      managed: true
      enableAzureRBAC: true
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
