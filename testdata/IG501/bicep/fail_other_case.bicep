resource payments 'Microsoft.Web/sites@2022-09-01' = {
  name: 'payments'
  location: 'westeurope'
  kind: 'app'
  properties: {
    HttpsOnly: false
  }
}
