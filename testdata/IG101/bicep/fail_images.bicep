resource containerSite 'Microsoft.Web/sites@2022-09-01' = {
  name: 'container-site'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      linuxFxVersion: 'DOCKER|nginx:latest'
    }
  }
}

resource untagged 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'untagged'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'app'
        properties: {
          image: 'busybox'
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
