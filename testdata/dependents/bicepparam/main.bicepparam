using './main.bicep'

param httpsOnly = true
