@secure()
param adminPassword string

param registryName string = 'myacr'

@secure()
param generatedPassword string = newGuid()

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'acme'
}

resource build 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'build'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'build'
      adminUsername: 'opsadmin'
      adminPassword: adminPassword
    }
  }
}

resource tools 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'tools'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    imageRegistryCredentials: [
      {
        server: registry.properties.loginServer
        username: registry.listCredentials().username
        password: registry.listCredentials().passwords[0].value
      }
    ]
    containers: [
      {
        name: 'tools'
        properties: {
          image: 'myacr.azurecr.io/tools:1.0'
          resources: { requests: { cpu: 1, memoryInGB: 2 } }
        }
      }
    ]
  }
}

resource billing 'Microsoft.Sql/servers@2022-05-01-preview' = {
  name: 'billing-sql'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: generatedPassword
  }
}

resource portal 'Microsoft.Web/sites@2022-09-01' = {
  name: 'portal'
  location: 'westeurope'
  properties: {
    siteConfig: {
      connectionStrings: [
        {
          name: 'Orders'
          type: 'SQLAzure'
          connectionString: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/orders-db/)'
        }
        {
          name: 'Catalog'
          type: 'SQLAzure'
          connectionString: 'Server=tcp:catalog.database.windows.net;Database=catalog;Authentication=Active Directory Default;'
        }
      ]
    }
  }
}

module reporting 'modules/database.bicep' = {
  name: 'reporting'
  params: {
    password: vault.getSecret('reporting-db')
  }
}
