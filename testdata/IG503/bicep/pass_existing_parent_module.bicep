resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'billing'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// The module sets the FTP state through a reference to the site.
module webConfig 'modules/web_config.bicep' = {
  name: 'billing-web-config'
  params: {
    appName: site.name
    properties: {
      ftpsState: 'FtpsOnly'
    }
  }
}
