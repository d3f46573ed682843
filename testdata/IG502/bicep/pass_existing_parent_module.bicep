resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: 'billing'
  location: 'westeurope'
  properties: {
    httpsOnly: true
  }
}

// A known miss: the module gets the site's name as `site.name`, which is not
// evaluated, so the site its config child's `existing` reference names is not known
// (the site above, or one deployed elsewhere). What the config sets is then not
// known on the site above, and its TLS 1.0 is not reported. The ARM template a
// module compiles to, given the name itself, is reported
// (../arm/fail_existing_parent_module.json).
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
