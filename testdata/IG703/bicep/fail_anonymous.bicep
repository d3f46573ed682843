resource public 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'public'
  location: 'westeurope'
  sku: {
    name: 'Standard'
  }
  properties: {
    anonymousPullEnabled: true
  }
}

resource premiumPublic 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'premiumpublic'
  location: 'westeurope'
  sku: {
    name: 'Premium'
  }
  properties: {
    anonymousPullEnabled: true
  }
}
