"""The built-in rule set, installed as `iacguard.rules`.

One module per rule, grouped by catalog family: `image` (IG1xx), `container`
(IG2xx), `dockerfile` (IG3xx). Never import these as `rules.*`: from the repository
root that would load a second copy; the package name is `iacguard.rules`.
"""
