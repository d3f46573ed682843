resource caps 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'caps'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'net'
        properties: {
          image: 'myacr.azurecr.io/net:1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          securityContext: {
            capabilities: {
              add: ['NET_BIND_SERVICE', 'NET_ADMIN']
            }
          }
        }
      }
    ]
  }
}
