resource defended 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'defended'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'defended'
    securityProfile: {
      defender: {
        securityMonitoring: {
          enabled: true
        }
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
