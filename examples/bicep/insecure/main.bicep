// The orders service on Azure, with the mistakes iacguard is built to catch.
param location string = resourceGroup().location
param minTlsVersion string = '1.0'

var registryServer = 'acmeorders.azurecr.io'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acmeorders'
  location: location
  sku: { name: 'Premium' }
  properties: {
    adminUserEnabled: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: 'orders'
  location: location
  kind: 'linux'
  sku: { name: 'P1v3' }
  properties: { reserved: true }
}

resource api 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders-api'
  location: location
  kind: 'app,linux,container'
  properties: {
    serverFarmId: plan.id
    siteConfig: {
      linuxFxVersion: 'DOCKER|${registryServer}/orders:latest'
      minTlsVersion: minTlsVersion
      ftpsState: 'AllAllowed'
      remoteDebuggingEnabled: true
      appSettings: [
        { name: 'DB_PASSWORD', value: 's3cr3t-Pa55' }
      ]
    }
  }
}

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'orders-worker'
  location: location
  properties: {
    osType: 'Linux'
    ipAddress: {
      type: 'Public'
      ports: [ { port: 8080, protocol: 'TCP' } ]
    }
    imageRegistryCredentials: [
      { server: registryServer, username: 'acmeorders', password: 'Acr-Pa55w0rd-2024' }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: '${registryServer}/orders-worker:latest'
          ports: [ { port: 8080 } ]
          resources: { requests: { cpu: 1, memoryInGB: 1 } }
          securityContext: {
            privileged: true
            capabilities: { add: [ 'SYS_ADMIN' ] }
          }
        }
      }
    ]
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'acme-orders'
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    accessPolicies: []
  }
}
