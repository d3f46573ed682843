resource current 'Microsoft.Sql/managedInstances@2023-05-01-preview' = {
  name: 'current-mi'
  location: 'westeurope'
  properties: {
    administratorLogin: 'miadmin'
    administratorLoginPassword: 'Mi-Current-2024!'
  }
}

// An Azure Cosmos DB for PostgreSQL cluster.
resource events 'Microsoft.DBforPostgreSQL/serverGroupsv2@2022-11-08' = {
  name: 'events'
  location: 'westeurope'
  properties: {
    administratorLoginPassword: 'Citus-Events-2024!'
    coordinatorServerEdition: 'GeneralPurpose'
    coordinatorVCores: 2
    nodeCount: 0
  }
}
