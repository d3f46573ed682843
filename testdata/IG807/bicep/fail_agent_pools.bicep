resource platform 'Microsoft.ContainerService/managedClusters@2023-07-01' = {
  name: 'platform'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'platform'
    agentPoolProfiles: [
      {
        name: 'system'
        count: 3
        vmSize: 'Standard_D4s_v5'
        mode: 'System'
      }
    ]
  }

  resource gpu 'agentPools' = {
    name: 'gpu'
    properties: {
      count: 1
      vmSize: 'Standard_NC6s_v3'
      enableNodePublicIP: true
    }
  }
}

resource batch 'Microsoft.ContainerService/managedClusters/agentPools@2023-07-01' = {
  parent: platform
  name: 'batch'
  properties: {
    count: 2
    vmSize: 'Standard_D8s_v5'
    enableNodePublicIP: true
  }
}
