resource public 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'public'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    ipAddress: {
      type: 'Public'
      ports: [
        {
          port: 80
        }
      ]
    }
    containers: [
      {
        name: 'app'
        properties: {
          image: 'myacr.azurecr.io/app:1.0'
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
