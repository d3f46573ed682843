// Settings that fail_imports.bicep and pass_imports.bicep import.

@export()
var legacySettings = {
  httpsOnly: false
  clientAffinityEnabled: false
}

@export()
var hardenedSettings = {
  httpsOnly: hardened
}

var hardened = true

@export()
var allowPlainHttp = false

@export()
func httpsFor(tier string) bool => tier != 'legacy'

@export()
func propertiesFor(tier string) object => {
  httpsOnly: httpsFor(tier)
}

// Not exported: another file cannot import it.
var internalSettings = {
  httpsOnly: false
}
