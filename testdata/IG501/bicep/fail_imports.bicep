import { legacySettings, httpsFor as secureFor } from 'imports/site-settings.bicep'
import * as settings from 'imports/site-settings.bicep'

// The value that decides is written in the imported file.
resource legacy 'Microsoft.Web/sites@2022-09-01' = {
  name: 'legacy'
  location: 'westeurope'
  properties: legacySettings
}

resource namespaced 'Microsoft.Web/sites@2022-09-01' = {
  name: 'namespaced'
  location: 'westeurope'
  properties: {
    httpsOnly: settings.allowPlainHttp
  }
}

resource renamed 'Microsoft.Web/sites@2022-09-01' = {
  name: 'renamed'
  location: 'westeurope'
  properties: {
    httpsOnly: secureFor('legacy')
  }
}

resource built 'Microsoft.Web/sites@2022-09-01' = {
  name: 'built'
  location: 'westeurope'
  properties: settings.propertiesFor('legacy')
}
