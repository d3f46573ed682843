resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'billing'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

module webConfig 'modules/web_config.bicep' = {
  name: 'billing-web-config'
  params: {
    appName: site.name
    properties: {
      ftpsState: 'Disabled'
      minTlsVersion: '1.0'
    }
  }
}
