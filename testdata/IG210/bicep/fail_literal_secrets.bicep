param apiToken string = 'tok_live_123'

resource orders 'Microsoft.Web/sites@2022-09-01' = {
  name: 'orders'
  location: 'westeurope'
  kind: 'app'
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'LOG_LEVEL'
          value: 'info'
        }
        {
          name: 'STRIPE_API_KEY'
          value: 'sk_live_51H8x'
        }
      ]
    }
  }

  resource appsettings 'config' = {
    name: 'appsettings'
    properties: {
      DB_PASSWORD: 'hunter2'
    }
  }
}

// The module's container gets the token as a plain value: reported in the module.
module workers 'modules/worker.bicep' = {
  name: 'workers'
  params: {
    token: apiToken
  }
}
