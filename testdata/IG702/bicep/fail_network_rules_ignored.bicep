resource basicDeny 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'basicdeny'
  location: 'westeurope'
  sku: {
    name: 'Basic'
  }
  properties: {
    networkRuleSet: {
      defaultAction: 'Deny'
    }
  }
}

resource standardDeny 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'standarddeny'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    publicNetworkAccess: 'Enabled'
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
