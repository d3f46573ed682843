// One site per element of a parameter's default: only legacy-api turns HTTPS off,
// and the finding is on its element.
param sites array = [
  {
    name: 'orders'
    httpsOnly: true
  }
  {
    name: 'legacy-api'
    httpsOnly: false
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

// With the index: the filter skips the first element, and the collection indexed by
// the loop's index decides.
resource shards 'Microsoft.Web/sites@2022-09-01' = [for (site, i) in sites: if (i > 0) {
  name: 'shard-${i}'
  location: 'westeurope'
  properties: {
    httpsOnly: sites[i].httpsOnly
  }
}]

// A range: the expression decides, once per index.
resource ranged 'Microsoft.Web/sites@2022-09-01' = [for i in range(0, 3): {
  name: 'ranged-${i}'
  location: 'westeurope'
  properties: {
    httpsOnly: i != 1
  }
}]

// Names that cannot be known: instances by symbol and index.
resource workers 'Microsoft.Web/sites@2022-09-01' = [for i in range(0, 2): {
  name: 'worker-${uniqueString(resourceGroup().id, string(i))}'
  location: 'westeurope'
  properties: {}
}]

// A collection that cannot be known: one site, whose settings that do not depend on
// the loop are still checked.
resource regional 'Microsoft.Web/sites@2022-09-01' = [for region in regions: {
  name: 'regional'
  location: region
  properties: {
    httpsOnly: false
  }
}]

// A module per element, each with its own arguments.
@batchSize(1)
module tenants 'modules/loop-site.bicep' = [for (site, i) in sites: {
  name: 'tenant-${i}'
  params: {
    name: 'tenant-${site.name}'
    httpsOnly: site.httpsOnly
  }
}]
