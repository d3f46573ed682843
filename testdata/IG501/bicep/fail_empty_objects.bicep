resource emptyProperties 'Microsoft.Web/sites@2022-09-01' = {
  name: 'empty-properties'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

resource emptySiteConfig 'Microsoft.Web/sites@2022-09-01' = {
  name: 'empty-site-config'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {}
  }
}
