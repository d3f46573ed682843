resource deny 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'deny'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    networkRuleSet: {
      defaultAction: 'Deny'
      ipRules: [
        {
          action: 'Allow'
          value: '203.0.113.0/24'
        }
      ]
    }
  }
}
