"""What an Azure API makes of a resource property, by the API version a template
declares.

APIs changed under templates that kept their old `apiVersion`. AKS
(`Microsoft.ContainerService/managedClusters`): properties arrived later (a newer
property sent to an older version is ignored: AKS API versions before 2024-01-01
drop fields they do not know), one moved, and one default changed. Key Vault
(`Microsoft.KeyVault/vaults`): from 2026-02-01 a new vault uses Azure RBAC unless
told otherwise. Both the ARM and the Bicep reader ask here, so the history lives in
one table.

Sources: AKS, the REST API specification of each version (azure-rest-api-specs,
`Microsoft.ContainerService/stable/<version>/managedClusters.json`, and the generated
Bicep types of each version in bicep-types-az), and the AKS release notes
(github.com/Azure/AKS CHANGELOG.md): "AKS API version 2020-04-01 defaults to ... RBAC
enabled" (releases of 2020-05 and 2020-06); "All current AKS API versions silently
ignore unknown fields ... API version 2024-01-01 ... and all subsequent API versions
will change this behavior" (release of 2023-12). Key Vault, "Prepare for Key Vault
API version 2026-02-01 and later: Azure RBAC as default access control"
(learn.microsoft.com/azure/key-vault/general/access-control-default): "When you
create a new vault with API version 2026-02-01 or later, the default access control
model is Azure RBAC (`enableRbacAuthorization = true`)".
"""

from __future__ import annotations

from typing import Any

from iacguard.model import Attr, Unknown
from iacguard.structs import struct


@struct(frozen=True, slots=True)
class Era:
    """From API version `since` (a date; "" for the first version there is) until the
    next era: whether the API reads the property, and what it does when the property
    is absent or not read (None: the reader's own default, the same in every era)."""

    since: str
    read: bool = True
    default: Any = None


# Properties of `properties`, by resource type, oldest era first. Versions compare by
# their date, so a preview version sits among the stable ones of its time.
ERAS: dict[str, dict[str, tuple[Era, ...]]] = {
    "microsoft.containerservice/managedclusters": {
        # 2017-08-31 had no RBAC; 2018-03-31 added `enableRBAC`, off unless set; the
        # default turned on with 2020-04-01.
        "enableRBAC": (Era("", read=False, default=False), Era("2018-03-31", default=False), Era("2020-04-01", default=True)),
        # Add-ons and the network profile (with its policy) arrived with 2018-03-31.
        "addonProfiles": (Era("", read=False), Era("2018-03-31")),
        "networkProfile": (Era("", read=False), Era("2018-03-31")),
        # Authorized IP ranges were a top-level list from 2019-02-01; 2019-08-01 moved them
        # into `apiServerAccessProfile`, with the private cluster switch.
        "apiServerAuthorizedIPRanges": (Era("", read=False), Era("2019-02-01"), Era("2019-08-01", read=False)),
        "apiServerAccessProfile": (Era("", read=False), Era("2019-08-01")),
        # `disableLocalAccounts` first appears in 2021-05-01 (2021-03-01 has no such field).
        "disableLocalAccounts": (Era("", read=False), Era("2021-05-01")),
    },
    "microsoft.keyvault/vaults": {
        # Access policies unless set; from 2026-02-01 a new vault gets Azure RBAC (one
        # that exists keeps its model, which a template cannot tell).
        "enableRbacAuthorization": (Era("", default=False), Era("2026-02-01", default=True)),
    },
}


def as_declared(resource_type: str, prop: str, written: Attr, default: Any, version: Attr) -> Attr:
    """`written`, the value read under `properties.<prop>` of a resource of that
    (lower-case) type with `default` when absent, as the declared API `version` takes
    it. A value the version ignores, or a default that differs under the version, is
    located at the `apiVersion`. When the version cannot be known, the value stands if
    every era agrees on it, and is Unknown otherwise."""
    eras = ERAS.get(resource_type, {}).get(prop, ())
    if not eras:
        return written
    if isinstance(version.value, str):
        return _in_era(_era_of(eras, version.value), written, default, version)
    outcomes = [_in_era(era, written, default, version) for era in eras]
    if all(outcome.value == outcomes[-1].value for outcome in outcomes):
        return outcomes[-1]
    return Attr(Unknown(f"{prop} under an API version that cannot be known"), version.location, native=written.native)


def _era_of(eras: tuple[Era, ...], version: str) -> Era:
    date = version[:10]
    return [era for era in eras if era.since <= date][-1]


def _in_era(era: Era, written: Attr, default: Any, version: Attr) -> Attr:
    if era.read and (written.is_set or era.default is None):
        return written
    value = default if era.default is None else era.default
    if not written.is_set and value == written.value:
        return written  # absent, and the version changes nothing: still the resource's default
    return Attr(value, version.location, is_set=False, native=written.native)
