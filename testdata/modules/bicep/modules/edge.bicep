param secure bool

module site 'site.bicep' = {
  name: 'site'
  params: {
    httpsOnly: secure
    siteConfig: {
      minTlsVersion: '1.0'
      ftpsState: 'FtpsOnly'
    }
  }
}
