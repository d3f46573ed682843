"""A container's CPU and memory settings, missing or zero: one home for the four rules
that check them (IG206, IG207, IG208, IG215)."""

from __future__ import annotations

from iacguard import problem
from iacguard.lazy import regex

# A quantity of nothing, however written: its number is zero, whatever unit follows
# (`0`, `"0"`, `0m`, `0Ki`, `0Mi`, `0.0`, `0e3`; Compose's `0g`, `0 KiB`).
_ZERO = regex(r"\+?0+(?:\.0*)?(?:[eE][+-]?\d+)?\s*[A-Za-z]*")


def missing_quantity(resource, attribute: str, native: str, zero: str):
    """A problem when the container's `attribute` is not set, or is zero (`zero`
    says what that leaves: the kubelet sets no limit for a zero one, and a zero
    request reserves nothing); none for an ephemeral (debug) container, nor when
    the value is Unknown: one the file leaves to something it does not show (a
    Knative or Tekton controller, the operator that completes a container written
    without an image, a LimitRange whose namespace may be the pod's, the unread base
    of a Compose service) may be set there."""
    if resource.value("role") == "ephemeral":
        return
    setting = resource.attr(attribute)
    if setting.unknown:
        return
    name = resource.native_name(attribute, native)
    if not setting.is_set:
        yield problem(resource.location, f"{name} is not set")
    elif not isinstance(setting.value, bool) and (setting.value == 0 or isinstance(setting.value, str) and _ZERO.fullmatch(setting.value.strip())):
        yield problem(setting, f"{name} is 0, {zero}")
