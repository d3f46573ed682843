resource profile 'Microsoft.Network/networkProfiles@2020-11-01' existing = {
  name: 'aci-profile'
}

// Joined to a virtual network by a network profile, as API versions before subnetIds do.
resource batch 'Microsoft.ContainerInstance/containerGroups@2019-12-01' = {
  name: 'batch'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    networkProfile: {
      id: profile.id
    }
    ipAddress: {
      type: 'Private'
      ports: [
        {
          port: 8080
        }
      ]
    }
    containers: [
      {
        name: 'batch'
        properties: {
          image: 'myacr.azurecr.io/batch:2.0.1'
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
