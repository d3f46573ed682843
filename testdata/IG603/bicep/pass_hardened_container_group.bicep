@secure()
param dbPassword string

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'worker'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      'pull-identity-id': {}
    }
  }
  properties: {
    osType: 'Linux'
    ipAddress: {
      type: 'Private'
      ports: [
        {
          port: 8080
        }
      ]
    }
    subnetIds: [
      {
        id: 'subnet-id'
      }
    ]
    imageRegistryCredentials: [
      {
        server: 'myacr.azurecr.io'
        identity: 'pull-identity-id'
      }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'myacr.azurecr.io/worker:1.4.2@sha256:4444444444444444444444444444444444444444444444444444444444444444'
          resources: {
            requests: {
              cpu: 1
              memoryInGB: 1.5
            }
          }
          securityContext: {
            privileged: false
            runAsUser: 10001
            capabilities: {
              drop: ['ALL']
            }
          }
          environmentVariables: [
            {
              name: 'DB_PASSWORD'
              secureValue: dbPassword
            }
          ]
        }
      }
    ]
  }
}
