module site './site.bicep' = {
  name: 'site'
  params: {
    httpsOnly: false
  }
}
