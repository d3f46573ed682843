"""Value conversions shared by the Azure normalizers: what a `bool` or `string`
argument accepts, as Terraform and ARM convert them. Anything else is Unknown."""

from __future__ import annotations

from typing import Any

from iacguard.model import Unknown


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
