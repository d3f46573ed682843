import { hardenedSettings, internalSettings } from 'imports/site-settings.bicep'
import * as settings from 'imports/site-settings.bicep'
import { sharedSettings } from 'br/public:avm/utl/types/avm-common-types:0.6.1'

resource hardened 'Microsoft.Web/sites@2022-09-01' = {
  name: 'hardened'
  location: 'westeurope'
  properties: hardenedSettings
}

resource api 'Microsoft.Web/sites@2022-09-01' = {
  name: 'api'
  location: 'westeurope'
  properties: settings.propertiesFor('api')
}

// A name its file does not export cannot be imported: not known, so not reported.
resource internal 'Microsoft.Web/sites@2022-09-01' = {
  name: 'internal'
  location: 'westeurope'
  properties: internalSettings
}

// A registry import is not fetched: not known, so not reported.
resource registry 'Microsoft.Web/sites@2022-09-01' = {
  name: 'registry'
  location: 'westeurope'
  properties: sharedSettings
}
