// How Azure Verified Modules configure a site: a module given the site's name
// refers to it as `existing` and declares the config child of that reference.
param appName string
param properties object

resource app 'Microsoft.Web/sites@2023-12-01' existing = {
  name: appName
}

resource config 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: app
  name: 'web'
  properties: properties
}
