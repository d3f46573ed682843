param allowedRanges array = [
  '203.0.113.0/24'
]
param unknownRanges array

var officeRules = [for range in allowedRanges: {
  ipAddress: range
  action: 'Allow'
}]

resource office 'Microsoft.Web/sites@2022-09-01' = {
  name: 'office'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [for rule in officeRules: rule]
    }
  }
}

resource partners 'Microsoft.Web/sites@2022-09-01' = {
  name: 'partners'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [for (cidr, i) in ['192.0.2.0/24', '198.51.100.0/24']: if (i > 0) {
        ipAddress: cidr
        action: 'Allow'
      }]
    }
  }
}

// A loop over an array that cannot be known: the rules are unknown, not absent.
resource branches 'Microsoft.Web/sites@2022-09-01' = {
  name: 'branches'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [for cidr in unknownRanges: {
        ipAddress: cidr
        action: 'Allow'
      }]
    }
  }
}
