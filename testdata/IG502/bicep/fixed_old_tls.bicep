resource nested 'Microsoft.Web/sites@2022-09-01' = {
  name: 'nested'
  location: 'westeurope'
  kind: 'app'
  properties: {}

  resource web 'config@2022-09-01' = {
    name: 'web'
    properties: {
      minTlsVersion: '1.0'
    }
  }
}

resource siteconfig 'Microsoft.Web/sites@2022-09-01' = {
  name: 'siteconfig'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

// Set apart from the site and tied to it by `parent`.
resource siteconfigWeb 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: siteconfig
  name: 'web'
  properties: {
    minTlsVersion: '1.1'
  }
}

resource inline 'Microsoft.Web/sites@2022-09-01' = {
  name: 'inline'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      minTlsVersion: '1.2'
    }
  }
}
