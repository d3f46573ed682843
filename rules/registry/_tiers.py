"""Which Azure Container Registry service tier (SKU) offers which setting.

A setting the registry's tier does not offer has no effect there: Azure refuses or
ignores it, so a Basic registry is open to the internet whatever network rules it
declares, and its anonymous pull setting opens nothing. `offers` answers True, False,
or None when the tier cannot be known (an unresolved value, or no `sku` at all: the
API and current azurerm versions require one, older azurerm versions defaulted to the
retired Classic tier), so that rules stay silent where the answer depends on it.
Tier names are compared without regard to case, as the azurerm provider's own tier
checks do.

Sources (learn.microsoft.com/azure/container-registry/...):
- `container-registry-skus`: the tiers and what only Premium offers (content trust,
  private link with private endpoints, IP network rules, virtual network rules).
- `anonymous-pull-access`: anonymous pull exists on Standard and Premium.
- `container-registry-access-selected-networks`: IP network rules are Premium only.
- The quarantine policy is a preview whose Microsoft documentation names no tier; the
  azurerm provider refuses `quarantine_policy_enabled` on any tier but Premium.
"""

from __future__ import annotations

from iacguard import Resource

ANONYMOUS_PULL = "anonymous pull"
NETWORK_RULES = "network rules"
CONTENT_TRUST = "content trust"
QUARANTINE = "quarantine policy"

_OFFERED_BY_TIER = {
    "Classic": frozenset(),  # the retired unmanaged tier, still a valid `sku.name`
    "Basic": frozenset(),
    "Standard": frozenset({ANONYMOUS_PULL}),
    "Premium": frozenset({ANONYMOUS_PULL, NETWORK_RULES, CONTENT_TRUST, QUARANTINE}),
}


def tier(resource: Resource) -> str | None:
    """The registry's tier spelled as Azure documents it; None when it is unknown."""
    sku = resource.value("sku")
    if not isinstance(sku, str):
        return None
    return next((name for name in _OFFERED_BY_TIER if name.lower() == sku.strip().lower()), None)


def offers(resource: Resource, feature: str) -> bool | None:
    """Whether the registry's tier has the feature; None when the tier is unknown."""
    name = tier(resource)
    return None if name is None else feature in _OFFERED_BY_TIER[name]
