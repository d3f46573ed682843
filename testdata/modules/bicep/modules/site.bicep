param httpsOnly bool = false
param siteConfig object = {
  ftpsState: 'FtpsOnly'
}
var secure = httpsOnly

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    httpsOnly: secure
    siteConfig: siteConfig
  }
}
