resource publicnodes 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'publicnodes'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'publicnodes'
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
        mode: 'System'
        enableNodePublicIP: true
      }
    ]
  }
}
