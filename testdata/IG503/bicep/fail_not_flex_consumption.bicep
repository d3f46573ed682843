param functionAppConfig object

// A web app is no Flex Consumption app, whatever functionAppConfig holds.
resource web 'Microsoft.Web/sites@2024-04-01' = {
  name: 'web-with-config'
  location: 'westeurope'
  kind: 'app,linux'
  properties: {
    httpsOnly: true
    functionAppConfig: functionAppConfig
  }
}

// Nor is it when functionAppConfig is written out.
resource webLiteral 'Microsoft.Web/sites@2024-04-01' = {
  name: 'web-with-literal-config'
  location: 'westeurope'
  kind: 'app,linux'
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

resource functions 'Microsoft.Web/sites@2024-04-01' = {
  name: 'functions'
  location: 'westeurope'
  kind: 'functionapp'
  properties: {
    httpsOnly: true
    siteConfig: {
      ftpsState: 'Disabled'
    }
  }
}

// The Flex Consumption plan has no deployment slots: a slot is never one.
resource staging 'Microsoft.Web/sites/slots@2024-04-01' = {
  parent: functions
  name: 'staging'
  location: 'westeurope'
  kind: 'functionapp'
  properties: {
    functionAppConfig: {
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
  }
}
