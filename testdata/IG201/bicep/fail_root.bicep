resource root 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'root'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'unset'
        properties: {
          image: 'myacr.azurecr.io/a:1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
        }
      }
      {
        name: 'zero'
        properties: {
          image: 'myacr.azurecr.io/a:1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          securityContext: {
            runAsUser: 0
          }
        }
      }
    ]
  }
}
