module explicit 'modules/site.bicep' = {
  name: 'explicit'
  params: {
    httpsOnly: false
    siteConfig: {
      ftpsState: 'AllAllowed'
    }
  }
}

module defaults 'modules/site.bicep' = {
  name: 'defaults'
}

module edge 'modules/edge.bicep' = {
  name: 'edge'
  params: {
    secure: false
  }
}
