resource open 'Microsoft.Web/sites@2022-09-01' = {
  name: 'open'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

resource enabled 'Microsoft.Web/sites@2022-09-01' = {
  name: 'enabled'
  location: 'westeurope'
  kind: 'app'
  properties: {
    publicNetworkAccess: 'Enabled'
  }
}

resource allowByDefault 'Microsoft.Web/sites@2022-09-01' = {
  name: 'allow-by-default'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [
        {
          ipAddress: '203.0.113.0/24'
          action: 'Allow'
          priority: 100
        }
      ]
      ipSecurityRestrictionsDefaultAction: 'Allow'
    }
  }
}
