param publicNodes bool = false

resource platform 'Microsoft.ContainerService/managedClusters@2023-07-01' existing = {
  name: 'platform'
}

resource batch 'Microsoft.ContainerService/managedClusters/agentPools@2023-07-01' = {
  parent: platform
  name: 'batch'
  properties: {
    count: 2
    vmSize: 'Standard_D8s_v5'
  }
}

resource explicit 'Microsoft.ContainerService/managedClusters/agentPools@2023-07-01' = {
  parent: platform
  name: 'explicit'
  properties: {
    count: 2
    vmSize: 'Standard_D8s_v5'
    enableNodePublicIP: publicNodes
  }
}
