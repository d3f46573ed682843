@secure()
param registryPassword string

resource pw 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'pw'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    imageRegistryCredentials: [
      {
        server: 'myacr.azurecr.io'
        username: 'myacr'
        password: registryPassword
      }
    ]
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
