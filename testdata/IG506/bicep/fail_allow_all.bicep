// The rule Azure shows for an app without restrictions, written out.
resource exported 'Microsoft.Web/sites@2023-12-01' = {
  name: 'exported'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [
        { ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all', description: 'Allow all access' }
      ]
    }
  }
}

// Deny by default, but a rule with several ranges lets every address in first.
resource ranges 'Microsoft.Web/sites@2023-12-01' = {
  name: 'ranges'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictionsDefaultAction: 'Deny'
      ipSecurityRestrictions: [
        { ipAddress: '203.0.113.0/24,0.0.0.0/0', action: 'allow', priority: 100, name: 'office and the rest' }
      ]
    }
  }
}

resource configured 'Microsoft.Web/sites@2023-12-01' = {
  name: 'configured'
  location: 'westeurope'
  properties: {}
}

// Set in a config/web child.
resource configuredWeb 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: configured
  name: 'web'
  properties: {
    ipSecurityRestrictions: [
      { ipAddress: '::/0', action: 'Allow', priority: 300, name: 'v6' }
    ]
  }
}
