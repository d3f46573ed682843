resource rules 'Microsoft.Web/sites@2022-09-01' = {
  name: 'rules'
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
    }
  }
}

resource deny 'Microsoft.Web/sites@2022-09-01' = {
  name: 'deny'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictionsDefaultAction: 'Deny'
    }
  }
}
