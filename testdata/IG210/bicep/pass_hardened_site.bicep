resource ordersApi 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders-api'
  location: 'westeurope'
  kind: 'app,linux,container'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    httpsOnly: true
    publicNetworkAccess: 'Disabled'
    clientCertEnabled: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      linuxFxVersion: 'DOCKER|myacr.azurecr.io/orders/api:2.4.1@sha256:4444444444444444444444444444444444444444444444444444444444444444'
      appSettings: [
        {
          name: 'DB_PASSWORD'
          value: '@Microsoft.KeyVault(SecretUri=https://acme.vault.azure.net/secrets/db/)'
        }
        {
          name: 'SMTP_PASSWORD'
          value: '<replace-at-deployment>'
        }
      ]
    }
  }
}
