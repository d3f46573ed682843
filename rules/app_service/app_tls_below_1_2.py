from iacguard import problem, rule

_OLD = ("1.0", "1.1")


@rule(
    code="IG502",
    name="app-tls-below-1-2",
    severity="high",
    kinds=("web_app",),
    tags=("azure", "app-service", "network"),
    references={"checkov": ["CKV_AZURE_15"], "cis": ["Azure 9.3"]},
)
def check(resource, options):
    """The app accepts TLS versions older than 1.2.

    ## What it checks
    The minimum inbound TLS version (`minimum_tls_version`, legacy `min_tls_version`,
    ARM `minTlsVersion`) must be 1.2 or newer. Unset passes: the default is 1.2.

    ## Why it matters
    TLS 1.0 and 1.1 have known weaknesses and are deprecated; allowing them lets
    clients (or an attacker forcing a downgrade) negotiate weak protection.

    ## How to fix
    Set `minimum_tls_version = "1.2"` (or "1.3") in `site_config`.

    ## Example
    Fails: `minimum_tls_version = "1.0"`. Passes: `minimum_tls_version = "1.2"`.
    """
    version = resource.attr("min_tls_version")
    if isinstance(version.value, str) and version.value.strip() in _OLD:
        yield problem(version, f"minimum TLS version {version.value} is below 1.2")
