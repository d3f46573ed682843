resource ftps 'Microsoft.Web/sites@2022-09-01' = {
  name: 'ftps'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      ftpsState: 'FtpsOnly'
    }
  }
}
