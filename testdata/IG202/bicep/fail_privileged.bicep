resource priv 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'priv'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'debug'
        properties: {
          image: 'myacr.azurecr.io/debug:1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          securityContext: {
            privileged: true
          }
        }
      }
    ]
  }
}
