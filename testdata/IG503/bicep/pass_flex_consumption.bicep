param functionAppConfig object

// A Flex Consumption app (the plan introduced functionAppConfig) takes no FTP
// deployments: One deploy is the only way to deploy to it.
resource flex 'Microsoft.Web/sites@2024-04-01' = {
  name: 'flex-orders'
  location: 'westeurope'
  kind: 'functionapp,linux'
  properties: {
    httpsOnly: true
    functionAppConfig: {
      runtime: {
        name: 'python'
        version: '3.11'
      }
      scaleAndConcurrency: {
        maximumInstanceCount: 40
        instanceMemoryMB: 2048
      }
      deployment: {
        storage: {
          type: 'blobContainer'
          value: 'https://flexorders.blob.core.windows.net/releases'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
    }
  }
}

// A function app whose functionAppConfig cannot be known may be a Flex Consumption app.
resource maybeFlex 'Microsoft.Web/sites@2024-04-01' = {
  name: 'maybe-flex'
  location: 'westeurope'
  kind: 'functionapp,linux'
  properties: {
    httpsOnly: true
    functionAppConfig: functionAppConfig
  }
}

param appKind string

// A kind that cannot be known does not undo what a written functionAppConfig tells:
// only a Flex Consumption app has one.
resource flexAnyKind 'Microsoft.Web/sites@2024-04-01' = {
  name: 'flex-any-kind'
  location: 'westeurope'
  kind: appKind
  properties: {
    httpsOnly: true
    functionAppConfig: {
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
  }
}
