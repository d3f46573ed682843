resource noSubnet 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'no-subnet'
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
          securityContext: {
            runAsUser: 1000
          }
        }
      }
    ]
  }
}

resource empty 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'empty'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    subnetIds: []
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
