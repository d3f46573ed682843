param sites array = [
  {
    name: 'orders'
    httpsOnly: true
  }
  {
    name: 'billing'
    httpsOnly: true
  }
]
param regions array

resource apps 'Microsoft.Web/sites@2022-09-01' = [for site in sites: {
  name: site.name
  location: 'westeurope'
  properties: {
    httpsOnly: site.httpsOnly
  }
}]

// The filter keeps only the secure elements.
resource filtered 'Microsoft.Web/sites@2022-09-01' = [for (secure, i) in [true, false, true]: if (secure) {
  name: 'filtered-${i}'
  location: 'westeurope'
  properties: {
    httpsOnly: secure
  }
}]

resource none 'Microsoft.Web/sites@2022-09-01' = [for site in []: {
  name: 'none'
  location: 'westeurope'
  properties: {
    httpsOnly: false
  }
}]

// A value that depends on an unknown loop item stays unknown.
resource regional 'Microsoft.Web/sites@2022-09-01' = [for region in regions: {
  name: 'regional-${region.name}'
  location: 'westeurope'
  properties: {
    httpsOnly: region.secure
  }
}]

module tenants 'modules/loop-site.bicep' = [for site in sites: {
  name: 'tenant-${site.name}'
  params: {
    name: 'tenant-${site.name}'
    httpsOnly: site.httpsOnly
  }
}]
