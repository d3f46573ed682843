resource firstversion 'Microsoft.ContainerService/managedClusters@2021-05-01' = {
  name: 'firstversion'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'firstversion'
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
