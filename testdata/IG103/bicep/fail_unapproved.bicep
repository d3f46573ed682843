resource mixed 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'mixed'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'api'
        properties: {
          image: 'myacr.azurecr.io/api:2.4.1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
        }
      }
      {
        name: 'proxy'
        properties: {
          image: 'nginx:1.27'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
        }
      }
    ]
  }
}
