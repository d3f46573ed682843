"""Plugin discovery and the registry of everything plugins contribute.

The built-in plugin is registered first, through the same hooks as third-party
plugins found in the `iacguard` entry-point group. Set
`IACGUARD_DISABLE_PLUGIN_AUTOLOAD=1` to load the built-ins only.

pluggy and the hook specifications are imported only when a plugin other than the
built-ins is registered: with none installed, the built-in hooks are called as they
are (one plugin, in its own order), which spares a check of one file the cost of
importing pluggy.

Plugins come from the installed environment only. The working directory is usually
the scanned repository, and `python -m` puts it on `sys.path`, so distributions found
there (a planted `evil-1.0.dist-info`) are never read; and the entry points are looked
up afresh at every start, never taken from a cache that could choose the modules.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterator

from iacguard.errors import ConfigError
from iacguard.formats import Format, Normalizer
from iacguard.lazy import regex
from iacguard.rule import Rule
from iacguard.structs import field, struct


PROJECT = "iacguard"  # pluggy's project name, and the entry-point group of plugins


@struct
class Registry:
    """Formats, normalizers, rules and reporters by name, with their plugin of origin."""

    formats: dict[str, Format] = field(default_factory=dict)
    normalizers: dict[str, list[Normalizer]] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    reporters: dict = field(default_factory=dict)
    origin: dict[object, str] = field(default_factory=dict)

    def find_rule(self, code_or_name: str) -> Rule | None:
        wanted = code_or_name.strip()
        if wanted.upper() in self.rules:
            return self.rules[wanted.upper()]
        return next((rule for rule in self.rules.values() if rule.name == wanted.lower()), None)

    def find_rules(self, reference: str) -> list[Rule]:
        """Every rule a code, name or alias names: an old code of a split rule names
        the rule that kept it and every rule split out of it."""
        return [rule for rule in self.rules.values() if rule.answers_to(reference)]

    def rendered(self, fmt: Format) -> Format:
        """The format whose documents `fmt` renders its files into (Helm charts and
        Kustomize into Kubernetes manifests), or `fmt` itself."""
        return self.formats.get(getattr(fmt, "renders", None) or fmt.name, fmt)

    def sees(self, rule: Rule, fmt: Format) -> bool:
        """True when `rule` sees the resources of `fmt`'s files: the rendered format
        produces one of its kinds, and the rule's own `formats`, if any, name it."""
        target = self.rendered(fmt)
        return bool(set(target.kinds) & set(rule.kinds)) and (rule.formats is None or target.name in rule.formats)

    def formats_checked_by(self, rule: Rule) -> list[str]:
        """Names of the installed formats whose own resources `rule` sees (a format
        that renders into another is covered by that one's fixtures)."""
        return [name for name, fmt in self.formats.items() if self.rendered(fmt) is fmt and self.sees(rule, fmt)]

    def find_by_peer_id(self, peer_id: str) -> list[tuple[Rule, str, str]]:
        """(rule, tool, id as the rule names it) for every rule whose references name
        `peer_id`, the id of
        another tool's check (hadolint `DL3002`, Checkov `CKV_K8S_20`, Trivy `KSV012`
        or its AVD form `AVD-KSV-0012`, a kube-linter check name), in any case:
        people moving from those tools know their ids. Several rules may name one id."""
        wanted = _peer_key(peer_id)
        return [
            (rule, tool, known)
            for rule in sorted(self.rules.values(), key=lambda rule: rule.code)
            for tool, ids in rule.references.items()
            for known in ids
            if _peer_key(known) == wanted
        ]


_AVD_ID = regex(r"AVD-([A-Z]+)-0*([0-9]+)")


def _peer_key(peer_id: str) -> str:
    """A peer check id as compared: upper case, a Trivy AVD id in its short form
    (`AVD-KSV-0012` is `KSV012`, as Trivy lists both)."""
    key = peer_id.strip().upper()
    if avd := _AVD_ID.fullmatch(key):
        key = f"{avd.group(1)}{int(avd.group(2)):03d}"
    return key


def load_registry(autoload: bool | None = None, extra_plugins: tuple = ()) -> Registry:
    """Register the built-ins, (unless disabled) entry-point plugins, and any
    `extra_plugins` objects, and collect what they contribute. Conflicting names are
    errors naming both plugins."""
    if autoload is None:
        autoload = os.environ.get("IACGUARD_DISABLE_PLUGIN_AUTOLOAD", "") in ("", "0")
    entry_points = installed_entry_points(PROJECT) if autoload else []
    contributions = _plugged(entry_points, extra_plugins) if entry_points or extra_plugins else _builtin_contributions

    registry = Registry()
    for plugin_name, item in contributions("iacguard_formats"):
        _add(registry, registry.formats, item.name, item, plugin_name, "format")
    for plugin_name, item in contributions("iacguard_normalizers"):
        registry.normalizers.setdefault(item.format, []).append(item)
        registry.origin[item] = plugin_name
    for plugin_name, item in contributions("iacguard_rules"):
        if not isinstance(item, Rule):
            raise ConfigError(f"plugin {plugin_name!r} returned {item!r} from iacguard_rules, not a Rule")
        clash = registry.find_rule(item.name)
        if clash is not None and clash is not item:
            raise ConfigError(
                f"rule name {item.name!r} of plugin {plugin_name!r} is already used by {clash.code} "
                f"of plugin {registry.origin[clash]!r}"
            )
        _add(registry, registry.rules, item.code, item, plugin_name, "rule code")
    _check_aliases(registry)
    for plugin_name, item in contributions("iacguard_reporters"):
        _add(registry, registry.reporters, item.name, item, plugin_name, "reporter")
    return registry


def installed_entry_points(group: str) -> list[tuple[str, str]]:
    """(name, value) of the entry points of `group` that the installed distributions
    declare: those found on `sys.path` except in the working directory (as `''` or as
    a path), the first of a name winning as in an import.

    The `entry_points.txt` files of the `*.dist-info` (and `*.egg-info`) folders are
    read directly: `importlib.metadata` would read the same files, but importing it
    (with the e-mail parser it needs for other metadata) costs more than a
    single-file check spends on everything else."""
    cwd = os.getcwd()
    seen: dict[str, str] = {}
    for entry in sys.path:
        folder = entry or "."
        if os.path.abspath(folder) == cwd or not os.path.isdir(folder):
            continue
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                for key, value in _entry_points(os.path.join(folder, name, "entry_points.txt"), group):
                    seen.setdefault(key, value)
    return sorted(seen.items())


def _entry_points(path: str, group: str) -> list[tuple[str, str]]:
    """The `name = value` lines under `[group]` of an `entry_points.txt` (INI syntax)."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    found, section = [], None
    for line in map(str.strip, lines):
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == group and "=" in line and not line.startswith(("#", ";")):
            name, _, value = line.partition("=")
            found.append((name.strip(), value.strip()))
    return found


Contributions = Callable[[str], Iterator[tuple[str, object]]]


def _builtin_contributions(hook_name: str) -> Iterator[tuple[str, object]]:
    """What the built-in plugin alone contributes to a hook."""
    from iacguard import builtin

    for item in getattr(builtin, hook_name)() or ():
        yield "builtin", item


def _plugged(entry_points: list[tuple[str, str]], extra_plugins: tuple) -> Contributions:
    """The contributions of the built-ins, the `entry_points` plugins and the
    `extra_plugins` objects, through pluggy."""
    import pluggy

    from iacguard import builtin, hookspecs

    class Manager(pluggy.PluginManager):
        def parse_hookimpl_opts(self, plugin, name):
            """The built-in plugin's hooks are known by name, as pytest knows its own."""
            if plugin is builtin and name in builtin.HOOKS:
                return {}
            return super().parse_hookimpl_opts(plugin, name)

    manager = Manager(PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.register(builtin, "builtin")
    _register_entry_points(manager, entry_points)
    for plugin in extra_plugins:
        manager.register(plugin)
    return lambda hook_name: _contributions(manager, hook_name)


def _register_entry_points(manager, entry_points: list[tuple[str, str]]) -> None:
    for name, value in entry_points:
        if manager.get_plugin(name) is not None or manager.is_blocked(name):
            continue
        module_name, _, attribute = value.partition(":")
        try:
            plugin = importlib.import_module(module_name.strip())
            for part in filter(None, attribute.strip().split(".")):
                plugin = getattr(plugin, part)
            manager.register(plugin, name=name)
        except Exception as error:  # a broken third-party plugin must not look like our crash
            raise ConfigError(f"the iacguard plugin {name!r} ({value}) failed to load: {type(error).__name__}: {error}") from error


def _contributions(manager, hook_name: str) -> Iterator[tuple[str, object]]:
    """(plugin name, item) for every item every plugin returns from a hook, in
    registration order (pluggy calls the last registered first)."""
    for impl in reversed(getattr(manager.hook, hook_name).get_hookimpls()):
        for item in impl.function() or ():
            yield impl.plugin_name, item


def _check_aliases(registry: Registry) -> None:
    """A rule may take the old code or name of a rule it was split from only within
    its own plugin: another plugin's alias would let it answer to (and be suppressed
    with) someone else's rule."""
    for rule in registry.rules.values():
        for alias in rule.aliases:
            owner = registry.find_rule(alias)
            if owner is not None and registry.origin[owner] != registry.origin[rule]:
                raise ConfigError(
                    f"rule {rule.code} of plugin {registry.origin[rule]!r} takes {alias} as an alias, "
                    f"but {alias} is a rule of plugin {registry.origin[owner]!r}"
                )


def _add(registry: Registry, table: dict, key: str, item: object, plugin_name: str, what: str) -> None:
    if key in table and table[key] is not item:
        raise ConfigError(f"{what} {key!r} of plugin {plugin_name!r} is already provided by {registry.origin[table[key]]!r}")
    table[key] = item
    registry.origin[item] = plugin_name
