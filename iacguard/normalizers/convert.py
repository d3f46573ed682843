"""Value conversions shared by the Azure normalizers: what a `bool` or `string`
argument accepts, as Terraform and ARM convert them (anything else is Unknown), and
the readings both formats give the same settings."""

from __future__ import annotations

import ipaddress
from typing import Any

from iacguard.model import Attr, EnvVar, Location, Unknown
from iacguard.structs import struct

KEY_VAULT_REFERENCE = "@Microsoft.KeyVault("


def convert(value: Any, kind: type) -> Any:
    if isinstance(value, Unknown) or value is None:
        return value
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return Unknown(f"{value!r} is not a bool")
    if kind is str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if isinstance(value, (str, int, float)) else Unknown(f"{value!r} is not a string")
    if kind is list:
        return value if isinstance(value, list) else Unknown(f"{value!r} is not a list")
    return value


def first_set(*attrs: Attr) -> Attr:
    """The first attribute that is set (a newer and an older spelling of one setting);
    when none is, the first, so a message names the spelling to write."""
    return next((attr for attr in attrs if attr.is_set), attrs[0])


def flex_consumption_ftp_state(head: Location) -> Attr:
    """The FTP state of a Flex Consumption function app: off, whatever is written,
    since One deploy is the only way to deploy to such an app; FTPS is not among
    them (learn.microsoft.com/azure/azure-functions/functions-deployment-technologies,
    "Deployment technology availability")."""
    return Attr("Disabled", head, is_set=False)


def joined_subnets(subnets: Attr, network_profile: Attr) -> Attr:
    """The subnets a container group is deployed into: its subnet ids or, when it
    names none, the network profile it joins a virtual network by (the older API
    versions' `networkProfile.id`, azurerm's `network_profile_id`), as a list of one."""
    if subnets.is_set or not network_profile.is_set:
        return subnets
    return network_profile.with_value(network_profile.value if isinstance(network_profile.value, Unknown) else [network_profile.value])


def network_policy_engine(policy: Attr, data_plane: Attr) -> Attr:
    """What enforces an AKS cluster's network policies: the network policy it names
    or, when it names none, Cilium where the network data plane is Cilium. Azure CNI
    Powered by Cilium enforces network policies without a separate engine, and AKS
    puts it in place of any other (learn.microsoft.com/azure/aks,
    azure-cni-powered-by-cilium and upgrade-azure-cni); such an engine is read at
    the data plane setting."""
    if isinstance(policy.value, str) and policy.value.lower() not in ("", "none") or policy.unknown:
        return policy
    if isinstance(data_plane.value, str) and data_plane.value.lower() == "cilium":
        return data_plane.with_value("cilium")
    return data_plane if data_plane.unknown else policy


def negated(attr: Attr) -> Attr:
    """A `..._disabled` setting read as its `..._enabled` counterpart."""
    return attr.with_value(not attr.value if isinstance(attr.value, bool) else attr.value)


def setting_env_var(name: str, value: Any, location: Location, origin: str, secure: bool = False) -> EnvVar:
    """An app setting or container variable. Its value is literal unless the platform
    fetches it (a secure variable, a Key Vault reference) or it cannot be resolved."""
    text = convert(value, str)
    literal = not secure and isinstance(text, str) and not text.startswith(KEY_VAULT_REFERENCE)
    return EnvVar(name, Attr(text, location), literal, location, origin)


@struct(frozen=True, slots=True)
class AccessRule:
    """One inbound access restriction rule of a web app, as both formats write it.
    `address` is the rule's IP address or ranges (`Any`, a CIDR range, up to eight of
    them separated by commas), an Attr located where it is written; its value is None
    for a rule on a service tag or a subnet. `action` is Allow or Deny, `priority` an
    int (None when unset and without default), `filtered` whether HTTP header filters
    narrow the rule; any of them may be Unknown."""

    address: Attr
    action: Any
    priority: Any
    filtered: Any

    @property
    def allows(self) -> bool:
        return isinstance(self.action, str) and self.action.lower() == "allow"  # the API's enumerations ignore case


def access_decided(rules: list[AccessRule] | Unknown, otherwise: Any, head: Location) -> tuple[Any, Attr]:
    """Whether an app's inbound access is restricted, `otherwise` being what its
    default action and rules make of it, unless a rule that covers every address
    decides (`_catch_all`); and the address of such a rule that lets everyone in,
    unset when none does (at the resource `head`)."""
    decided = rules if isinstance(rules, Unknown) else _catch_all(rules)
    none = Attr(None, head, is_set=False)
    if isinstance(decided, AccessRule):
        return not decided.allows, decided.address if decided.allows else none
    return (otherwise if decided is None else decided), none


def _catch_all(rules: list[AccessRule]) -> AccessRule | Unknown | None:
    """The rule that decides every request the rules before it do not match: the
    first, in priority order (ties in written order), that covers every address
    without a header filter, as the platform evaluates them
    (learn.microsoft.com/azure/app-service/overview-access-restrictions). None when
    no rule does (the default action decides); Unknown when a rule that may do so
    cannot be read, or the order of such rules cannot be known."""
    candidates = []
    for rule in rules:
        covers = _covers_every_address(rule.address.value)
        if covers is False or rule.filtered is True:
            continue
        known = covers is True and rule.filtered is False and isinstance(rule.action, str) and rule.action.lower() in ("allow", "deny")
        candidates.append((rule, known))
    if not candidates:
        return None
    if len(candidates) > 1 and not all(isinstance(rule.priority, int) and not isinstance(rule.priority, bool) for rule, _ in candidates):
        return Unknown("the order of access restriction rules")
    rule, known = min(candidates, key=lambda candidate: candidate[0].priority if len(candidates) > 1 else 0)
    return rule if known else Unknown("an access restriction rule")


def _covers_every_address(address: Any) -> Any:
    """Whether an access restriction address covers every client: `Any` (how the
    platform writes the rule that allows or denies all), or a range with a prefix
    length of 0 (`0.0.0.0/0`, `::/0`), alone or among the ranges of a rule with
    several. A service tag or subnet rule (None) covers some clients only."""
    if address is None:
        return False
    if not isinstance(address, str):
        return Unknown("access restriction address")
    for part in address.split(","):
        part = part.strip()
        if part.lower() == "any":
            return True
        try:
            if ipaddress.ip_network(part, strict=False).prefixlen == 0:
                return True
        except ValueError:
            continue
    return False
