param edgeRange string

// Every address, but only with this Front Door's id: the header narrows the rule.
resource frontDoor 'Microsoft.Web/sites@2023-12-01' = {
  name: 'front-door'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [
        { ipAddress: 'Any', action: 'Allow', priority: 100, name: 'fd', headers: { 'x-azure-fdid': ['00000000-0000-0000-0000-000000000000'] } }
      ]
    }
  }
}

// Allowed by default, but a rule refuses every address first (the rule Azure writes for Deny all).
resource denyAll 'Microsoft.Web/sites@2023-12-01' = {
  name: 'deny-all'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictionsDefaultAction: 'Allow'
      ipSecurityRestrictions: [
        { ipAddress: '203.0.113.0/24', action: 'Allow', priority: 100, name: 'office' }
        { ipAddress: 'Any', action: 'Deny', priority: 200, name: 'Deny all' }
        { ipAddress: 'Any', action: 'Allow', priority: 2147483647, name: 'Allow all' }
      ]
    }
  }
}

// A rule on a service tag lets that service in, not everyone.
resource serviceTag 'Microsoft.Web/sites@2023-12-01' = {
  name: 'service-tag'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [
        { ipAddress: 'AzureFrontDoor.Backend', tag: 'ServiceTag', action: 'Allow', priority: 100, name: 'fd' }
      ]
    }
  }
}

// The address comes from a parameter without a value: it may be every address, or not.
resource unknownAddress 'Microsoft.Web/sites@2023-12-01' = {
  name: 'unknown-address'
  location: 'westeurope'
  properties: {
    siteConfig: {
      ipSecurityRestrictions: [
        { ipAddress: edgeRange, action: 'Allow', priority: 100, name: 'edge' }
      ]
    }
  }
}
