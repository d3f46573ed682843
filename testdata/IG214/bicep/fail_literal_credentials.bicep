@secure()
param adminPassword string = 'Jump-Host-2024!'

@secure()
param clusterSecret string = 'k8s-sp-0a1b2c3d4e'

var spSecret = clusterSecret

resource jump 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'jump'
  location: 'westeurope'
  properties: {
    osProfile: {
      computerName: 'jump'
      adminUsername: 'opsadmin'
      adminPassword: adminPassword
    }
  }
}

resource apps 'Microsoft.ContainerService/managedClusters@2024-02-01' = {
  name: 'apps'
  location: 'westeurope'
  properties: {
    dnsPrefix: 'apps'
    servicePrincipalProfile: {
      clientId: '00000000-0000-0000-0000-000000000000'
      secret: spSecret
    }
  }
}

resource worker 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'worker'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    imageRegistryCredentials: [
      {
        server: 'myacr.azurecr.io'
        username: 'myacr'
        password: 'acr-pull-Pa55word'
      }
    ]
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'myacr.azurecr.io/worker:1.0'
          resources: { requests: { cpu: 1, memoryInGB: 2 } }
        }
      }
    ]
  }
}

resource shop 'Microsoft.Web/sites@2022-09-01' = {
  name: 'shop'
  location: 'westeurope'
  properties: {
    siteConfig: {
      connectionStrings: [
        {
          name: 'Orders'
          type: 'SQLAzure'
          connectionString: 'Server=tcp:orders-sql.database.windows.net;Database=orders;User ID=shop;Password=Sh0p-Db-Pass;'
        }
      ]
    }
  }

  resource authsettings 'config' = {
    name: 'authsettings'
    properties: {
      enabled: true
      clientId: 'shop-app'
      clientSecret: 'Q~shop.sign-in.s3cret'
    }
  }
}

// The module's server gets the password from this call: reported at the argument.
module reporting 'modules/database.bicep' = {
  name: 'reporting'
  params: {
    password: 'Rep0rting-Pass!'
  }
}
