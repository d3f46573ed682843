resource noCerts 'Microsoft.Web/sites@2022-09-01' = {
  name: 'no-certs'
  location: 'westeurope'
  kind: 'app'
  properties: {}
}

resource optional 'Microsoft.Web/sites@2022-09-01' = {
  name: 'optional'
  location: 'westeurope'
  kind: 'app'
  properties: {
    clientCertEnabled: true
    clientCertMode: 'Optional'
  }
}
