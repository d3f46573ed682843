"""Helm charts: which files a chart owns and its copy (`charts`), rendering it in a
process of its own (`render`, and `library` for the optional extra), and mapping the
output back to template lines (`lines`). The format and normalizer that use them are
`iacguard.parsers.helm` and `iacguard.normalizers.helm`."""
