using './fail_https.bicep'

param httpsOnly = false
