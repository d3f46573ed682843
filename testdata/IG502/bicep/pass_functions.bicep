// Each site's minimum TLS version is computed by one of the functions iacguard
// evaluates.
param versions object = {
  b: '1.3'
  a: '1.2'
}
param major string = '1'
param legacyTls string = '${major}.2'

func minor(digit string) string => '1.${digit}'

resource siteSubstring 'Microsoft.Web/sites@2022-09-01' = {
  name: 'substring'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: substring('TLS1.2-legacy', 3, 3)
    }
  }
}

resource siteIndexOf 'Microsoft.Web/sites@2022-09-01' = {
  name: 'index-of'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: indexOf('Legacy-Clients', 'legacy') == 0 ? '1.2' : '1.0'
    }
  }
}

resource siteLastIndexOf 'Microsoft.Web/sites@2022-09-01' = {
  name: 'last-index-of'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: lastIndexOf(['a', 'b', 'a'], 'a') == 2 ? '1.2' : '1.0'
    }
  }
}

resource siteReplace 'Microsoft.Web/sites@2022-09-01' = {
  name: 'replace'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: replace('1_2', '_', '.')
    }
  }
}

resource siteSplitJoin 'Microsoft.Web/sites@2022-09-01' = {
  name: 'split-join'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: join(split('1-2', '-'), '.')
    }
  }
}

resource siteSkipTakeString 'Microsoft.Web/sites@2022-09-01' = {
  name: 'skip-take-string'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: take(skip('v1.2.7', 1), 3)
    }
  }
}

resource siteString 'Microsoft.Web/sites@2022-09-01' = {
  name: 'string'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: string({ v: 1 }) == '{"v":1}' ? '1.2' : '1.0'
    }
  }
}

resource siteBase64 'Microsoft.Web/sites@2022-09-01' = {
  name: 'base64'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: base64ToString(base64('1.2'))
    }
  }
}

resource siteJson 'Microsoft.Web/sites@2022-09-01' = {
  name: 'json'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: json('{"tls": "1.2"}').tls
    }
  }
}

resource siteFirstLast 'Microsoft.Web/sites@2022-09-01' = {
  name: 'first-last'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: last(['1.0', '1.2'])
    }
  }
}

resource siteSkipTakeArray 'Microsoft.Web/sites@2022-09-01' = {
  name: 'skip-take-array'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(take(skip(['1.0', '1.2', '1.0'], 1), 1))
    }
  }
}

resource siteRange 'Microsoft.Web/sites@2022-09-01' = {
  name: 'range'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.${last(range(2, 1))}'
    }
  }
}

resource siteItems 'Microsoft.Web/sites@2022-09-01' = {
  name: 'items'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(items(versions)).value
    }
  }
}

resource siteObjectKeys 'Microsoft.Web/sites@2022-09-01' = {
  name: 'object-keys'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(objectKeys({ '1.2': true }))
    }
  }
}

resource siteTryGet 'Microsoft.Web/sites@2022-09-01' = {
  name: 'try-get'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: tryGet(versions, 'missing') ?? '1.2'
    }
  }
}

resource siteFlattenMinMax 'Microsoft.Web/sites@2022-09-01' = {
  name: 'flatten-min-max'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.${min(flatten([[3], [2]]))}'
    }
  }
}

resource siteCompare 'Microsoft.Web/sites@2022-09-01' = {
  name: 'compare'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: 1 < 2 ? '1.2' : '1.0'
    }
  }
}

resource siteFilter 'Microsoft.Web/sites@2022-09-01' = {
  name: 'filter'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(filter(['1.0', '1.2'], t => t != '1.0'))
    }
  }
}

resource siteMap 'Microsoft.Web/sites@2022-09-01' = {
  name: 'map'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(map([2], (m, i) => '1.${m + i}'))
    }
  }
}

resource siteReduce 'Microsoft.Web/sites@2022-09-01' = {
  name: 'reduce'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: reduce(['1', '.', '2'], '', (text, next) => '${text}${next}')
    }
  }
}

resource siteSort 'Microsoft.Web/sites@2022-09-01' = {
  name: 'sort'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(sort(['1.3', '1.2'], (a, b) => a < b))
    }
  }
}

resource siteGroupBy 'Microsoft.Web/sites@2022-09-01' = {
  name: 'group-by'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: groupBy(['1.2', '1.3'], g => 'all').all[0]
    }
  }
}

resource siteMapValues 'Microsoft.Web/sites@2022-09-01' = {
  name: 'map-values'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: mapValues({ tls: '1' }, x => '${x}.2').tls
    }
  }
}

resource siteToObject 'Microsoft.Web/sites@2022-09-01' = {
  name: 'to-object'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: first(objectKeys(toObject(['1.2'], k => k)))
    }
  }
}

resource siteLoopExpression 'Microsoft.Web/sites@2022-09-01' = {
  name: 'loop-expression'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: [for d in ['2']: '1.${d}'][0]
    }
  }
}

resource siteUserFunction 'Microsoft.Web/sites@2022-09-01' = {
  name: 'user-function'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: minor('2')
    }
  }
}

resource siteParameterDefault 'Microsoft.Web/sites@2022-09-01' = {
  name: 'parameter-default'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: legacyTls
    }
  }
}

// A function iacguard does not evaluate: the version stays unknown.
param seed string

resource siteUnknown 'Microsoft.Web/sites@2022-09-01' = {
  name: 'unknown-function'
  location: 'westeurope'
  properties: {
    httpsOnly: true
    siteConfig: {
      minTlsVersion: substring(uniqueString(seed), 0, 3)
    }
  }
}
