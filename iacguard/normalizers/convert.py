"""Value conversions shared by the Azure normalizers: what a `bool` or `string`
argument accepts, as Terraform and ARM convert them (anything else is Unknown), and
the readings both formats give the same settings."""

from __future__ import annotations

from typing import Any

from iacguard.model import Attr, EnvVar, Location, Unknown

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
