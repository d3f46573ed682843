resource debug 'Microsoft.Web/sites@2022-09-01' = {
  name: 'debug'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      remoteDebuggingEnabled: true
      remoteDebuggingVersion: 'VS2022'
    }
  }
}
