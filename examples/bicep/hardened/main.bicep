// The same service, deployed the way iacguard recommends.
param location string = resourceGroup().location
param minTlsVersion string = '1.2'

@description('Subnet delegated to Container Instances.')
param workerSubnetId string

var registryServer = 'acmeorders.azurecr.io'

resource pullIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'orders-pull'
  location: location
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'acmeorders'
  location: location
  sku: { name: 'Premium' }
  properties: {
    adminUserEnabled: false
    publicNetworkAccess: 'Disabled'
    policies: {
      quarantinePolicy: { status: 'enabled' }
    }
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
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    publicNetworkAccess: 'Disabled'
    clientCertEnabled: true
    siteConfig: {
      linuxFxVersion: 'DOCKER|${registryServer}/orders:1.4.2'
      minTlsVersion: minTlsVersion
      ftpsState: 'Disabled'
      remoteDebuggingEnabled: false
      appSettings: [
        { name: 'DB_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=https://acme-orders.vault.azure.net/secrets/db-password/)' }
      ]
    }
  }
}

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'orders-worker'
  location: location
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${pullIdentity.id}': {} }
  }
  properties: {
    osType: 'Linux'
    ipAddress: {
      type: 'Private'
      ports: [ { port: 8080, protocol: 'TCP' } ]
    }
    subnetIds: [ { id: workerSubnetId } ]
    imageRegistryCredentials: [
      { server: registryServer, identity: pullIdentity.id }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: '${registryServer}/orders-worker:1.4.2'
          ports: [ { port: 8080 } ]
          resources: { requests: { cpu: 1, memoryInGB: 1 } }
          securityContext: {
            privileged: false
            runAsUser: 10001
            capabilities: { drop: [ 'ALL' ] }
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
    enablePurgeProtection: true
    enableRbacAuthorization: true
    networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' }
  }
}
