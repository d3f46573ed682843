resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'billing'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// The module sets the FTP state through a reference to a site named `site.name`,
// which is not evaluated: the site above, or one deployed elsewhere. Its FTP state
// is then not known, and not reported.
module webConfig 'modules/web_config.bicep' = {
  name: 'billing-web-config'
  params: {
    appName: site.name
    properties: {
      ftpsState: 'FtpsOnly'
    }
  }
}
