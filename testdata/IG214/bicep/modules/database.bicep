@secure()
param password string

resource reporting 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: 'reporting'
  location: 'westeurope'
  properties: {
    version: '16'
    administratorLogin: 'reporter'
    administratorLoginPassword: password
  }
}
