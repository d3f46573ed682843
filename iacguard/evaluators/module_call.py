"""Where a value that a module receives was written, for Terraform and Bicep alike.

A finding about a value decided by a module's input points at the literal that
decided it, in the file that wrote it: the caller's argument, or the input's default
when the caller leaves it unset. The module's own lines that carry the value there
are hops (`Location.via`), reported as related locations, so that a reader can
follow the value from the caller into the module. The evaluators find the literal;
this module words the hops, once for both formats.
"""

from __future__ import annotations

from iacguard.lazy import regex
from iacguard.model import Location
from iacguard.structs import field, struct

# One module call in a resource address, as both formats write it: `module.NAME`,
# with `[0]` or `["key"]` when the call loops. A resource inside modules is addressed
# by these steps, each followed by a dot, then its own address in the innermost one.
MODULE_STEP = r'module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?'
_LEADING_CALL = regex(MODULE_STEP + r"\.")


def module_calls(address: str) -> tuple[str, ...]:
    """The names of the module calls a resource's address goes through, outermost
    first: `module.a["k"].module.b[0].x.y` goes through `a` and `b`. Instance keys
    are left out: they are evaluated, as the resource's own name is, so two scans
    that give a call different inputs give them differently. As many as the module
    calls, which the module depth bounds."""
    calls = []
    while (call := _LEADING_CALL.match(address)) is not None:
        address = address[call.end():]
        calls.append(call.group(1))
    return tuple(calls)


@struct(frozen=True)
class ModuleCall:
    """One module instance: `address` (`module.orders`, `module.outer.module.inner`),
    the file and head of the call that creates it, and where the module declares each
    of its inputs. `noun` is what the format calls an input."""

    address: str
    head: Location
    noun: str
    declared: dict[str, Location] = field(default_factory=dict)

    def passed(self, name: str, argument: Location, use: Location) -> Location:
        """`argument`, the caller's value for input `name`, as reached from `use` in the
        module: the use and the declaration come first among its hops, then the hops
        that brought the argument to the caller (a nested module's caller)."""
        hops = [use.hop(f"set by {self.address} in {self.head.path}")]
        if name in self.declared:
            hops.append(self.declared[name].hop(f"module {self.noun} declared here"))
        return argument.by_way_of((*hops, *argument.via))

    def defaulted(self, name: str, default: Location, use: Location) -> Location:
        """`default`, where input `name`'s default is written, as reached from `use`:
        the caller leaves the input unset."""
        hops = (use.hop(f"the default of {self.noun} {name} applies"), self.head.hop(f"{self.address} does not set {name}"))
        return default.by_way_of(hops)
