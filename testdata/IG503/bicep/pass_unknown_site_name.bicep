param siteName string

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: siteName
  location: 'westeurope'
  kind: 'app'
  properties: {}

  // Named 'web' whatever its parent's name is.
  resource web 'config' = {
    name: 'web'
    properties: {
      ftpsState: 'Disabled'
    }
  }
}
