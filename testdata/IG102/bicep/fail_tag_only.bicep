resource tagged 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'tagged'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
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
        }
      }
    ]
  }
}
