param allowedRanges array = []

// A variable made by a loop over an empty array, and a property loop over it: no rule.
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

// The filter drops every candidate.
resource partners 'Microsoft.Web/sites@2022-09-01' = {
  name: 'partners'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [for (cidr, i) in ['192.0.2.0/24', '198.51.100.0/24']: if (i > 1) {
        ipAddress: cidr
        action: 'Allow'
      }]
    }
  }
}

// One site per branch, each with as many rules as its index: the first has none.
resource branches 'Microsoft.Web/sites@2022-09-01' = [for b in range(0, 2): {
  name: 'branch-${b}'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [for r in range(0, b): {
        ipAddress: '10.0.${b}.${r}/32'
        action: 'Allow'
      }]
    }
  }
}]
