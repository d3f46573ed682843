resource workers 'Microsoft.Network/virtualNetworks/subnets@2023-09-01' existing = {
  name: 'orders/workers'
}

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'worker'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    ipAddress: {
      type: 'Public'
      ports: [
        {
          port: 8080
        }
      ]
    }
    subnetIds: [
      {
        id: workers.id
      }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'myacr.azurecr.io/worker:1.0'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          securityContext: {
            runAsUser: 1000
          }
        }
      }
    ]
  }
}
