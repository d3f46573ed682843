param token string

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'worker'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'myacr.azurecr.io/worker:1'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1
            }
          }
          environmentVariables: [
            {
              name: 'API_TOKEN'
              value: token
            }
          ]
        }
      }
    ]
  }
}
