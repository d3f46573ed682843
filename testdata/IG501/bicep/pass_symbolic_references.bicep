param secure bool = true
var settings = {
  httpsOnly: secure
}

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'from-variables'
  location: 'westeurope'
  properties: settings
}

resource sites 'Microsoft.Web/sites@2022-09-01' = [for name in ['a', 'b']: {
  name: name
  location: 'westeurope'
  properties: {
    httpsOnly: secure ? true : false
  }
}]

// Never deployed: its settings do not matter.
resource legacy 'Microsoft.Web/sites@2022-09-01' = if (!secure) {
  name: 'legacy'
  location: 'westeurope'
  properties: {
    httpsOnly: false
  }
}
