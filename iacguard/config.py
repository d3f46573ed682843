"""Configuration: `.iacguard.yaml` (or `.iacguard.yml`) or `[tool.iacguard]` in
`pyproject.toml`, found from the scanned path upward to the scan root, never above
it: a folder above the repository (a home or shared temporary folder) is not the
repository's to configure, and a config found there would silently change the scan.

A config file in the scanned tree is written by whoever wrote the repository, so it
is read like a scanned file: through `iacguard.inputs` (regular files only, size
limited, links kept inside the scan root) and, for YAML, with the scanned-YAML
loader's alias-expansion limit. Error messages show values cut short (`shown`).

Keys are validated when loaded; an unknown key or a value of the wrong type is a
`ConfigError` that names the file and the key. Keys may be written with `-` or `_`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from iacguard.errors import ConfigError, ParseError, shown
from iacguard.inputs import DEFAULT_MAX_FILE_SIZE, Refused, read_text
from iacguard.lazy import regex
from iacguard.patterns import compile_all
from iacguard.rule import SEVERITIES
from iacguard.structs import field, struct

CONFIG_NAMES = (".iacguard.yaml", ".iacguard.yml")
CONFIG_FILES = (*CONFIG_NAMES, "pyproject.toml")  # every name a config file has
FAIL_ON_CHOICES = (*SEVERITIES, "none")
MAX_CONFIG_SIZE = DEFAULT_MAX_FILE_SIZE
# Seen in a pyproject.toml that is not valid TOML, this means the file was meant to
# configure iacguard; without it, the file is someone else's and is passed over.
_MENTIONS_SECTION = regex(r"""["']?tool["']?\s*\.\s*["']?iacguard\b""")


@struct
class Config:
    """Settings from a config file, possibly overridden by the command line.

    Path patterns in `exclude` and `per_file_ignores` are relative to `root`, the
    config file's folder (or the working directory when there is no config file).
    """

    root: Path
    source: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str = "low"
    min_severity: str = SEVERITIES[0]
    severity: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: Path | None = None
    terraform_var_files: tuple[Path, ...] = ()
    arm_parameter_files: tuple[Path, ...] = ()
    helm_value_sets: dict[Path, tuple[tuple[Path, ...], ...]] = field(default_factory=dict)  # chart folder -> value sets
    max_file_size: int = DEFAULT_MAX_FILE_SIZE


def find_config(start: Path, root: Path) -> Path | None:
    """The nearest config file in `start` (a file's folder) or its parents, up to
    and including the scan root `root`."""
    start = Path(os.path.abspath(start))
    start = start if start.is_dir() else start.parent
    folders = [start, *start.parents]
    folders = folders[: folders.index(root) + 1] if root in folders else [start]
    for folder in folders:
        for name in CONFIG_NAMES:
            if os.path.lexists(folder / name):
                return folder / name
        pyproject = folder / "pyproject.toml"
        if os.path.lexists(pyproject):
            try:
                text = read_text(pyproject, MAX_CONFIG_SIZE, root, "the config size limit").text
            except Refused:
                continue  # nothing can be seen in it, so no [tool.iacguard] either
            if _pyproject_section(text, pyproject) is not None:
                return pyproject
    return None


def load_config(path: Path | None, cwd: Path, root: Path | None = None) -> Config:
    """Load and validate a config file; no file gives the defaults. With `root`, the
    file must lie inside it (a link cannot lead out)."""
    if path is None:
        return Config(root=cwd)
    try:
        text = read_text(path, MAX_CONFIG_SIZE, root, "the config size limit").text
    except Refused as refused:
        raise ConfigError(f"{path}: cannot read: {refused.reason}") from None
    data = _pyproject_section(text, path) if path.name == "pyproject.toml" else _yaml_mapping(text, path)
    if data is None:
        raise ConfigError(f"{path}: has no [tool.iacguard] table")
    return _validate(data, path)


def _pyproject_section(text: str, path: Path) -> dict | None:
    """`[tool.iacguard]`, or None when there is none. A pyproject.toml that is not
    valid TOML is an error only when it shows signs of a `[tool.iacguard]`."""
    import tomllib  # on first use: start-up time counts

    try:
        document = tomllib.loads(text)
    except ValueError as error:  # TOMLDecodeError, and integers too long to convert
        if _MENTIONS_SECTION.search(text):
            raise ConfigError(f"{path}: invalid TOML: {error}") from None
        return None
    tool = document.get("tool")
    section = tool.get("iacguard") if isinstance(tool, dict) else None
    if section is not None and not isinstance(section, dict):
        raise ConfigError(f"{path}: tool.iacguard must be a table")
    return section


def _yaml_mapping(text: str, path: Path) -> dict:
    from iacguard.parsers.yaml import load  # the scanned-YAML loader, with its node limit

    try:
        documents = load(text).documents
    except ParseError as error:
        where = f"{path}:{error.line}" if error.line else str(path)
        raise ConfigError(f"{where}: invalid YAML: {error.message}") from None
    if len(documents) > 1:
        raise ConfigError(f"{path}: the configuration must be a single YAML document")
    data = documents[0].root if documents else {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys to values")
    return data


def _validate(data: dict, path: Path) -> Config:
    config = Config(root=path.parent, source=path)
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        where = f"{path}: key {shown(raw_key)}"
        if key == "select":
            config.select = _string_list(value, where)
            if not config.select:
                raise ConfigError(f"{where} selects no rule (leave it out to run the default rules)")
        elif key == "ignore":
            config.ignore = _string_list(value, where)
        elif key == "exclude":
            config.exclude = _string_list(value, where)
            compile_all(config.exclude, where)
        elif key == "fail_on":
            config.fail_on = _choice(value, FAIL_ON_CHOICES, where)
        elif key == "min_severity":
            config.min_severity = _choice(value, SEVERITIES, where)
        elif key == "per_file_ignores":
            config.per_file_ignores = _per_file_ignores(value, where)
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must map rule codes or names to severities")
            config.severity = {str(rule): _choice(level, SEVERITIES, f"{where}, rule {shown(rule)}") for rule, level in value.items()}
        elif key == "baseline":
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where} must be the path of a baseline file")
            config.baseline = path.parent / value
        elif key == "max_file_size":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{where} must be a positive number of bytes")
            config.max_file_size = value
        elif key == "arm_parameter_files":
            config.arm_parameter_files = tuple(path.parent / item for item in _string_list(value, where))
        elif key == "terraform_var_files":
            config.terraform_var_files = tuple(path.parent / item for item in _string_list(value, where))
        elif key == "helm_value_sets":
            config.helm_value_sets = _value_sets(value, path, where)
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(options, dict) for options in value.values()):
                raise ConfigError(f"{where} must map rule codes or names to option mappings")
            config.rules = {str(rule): dict(options) for rule, options in value.items()}
        else:
            known = ("select, ignore, exclude, per_file_ignores, fail_on, min_severity, severity, rules, baseline, "
                     "terraform_var_files, arm_parameter_files, helm_value_sets, max_file_size")
            raise ConfigError(f"{path}: unknown key {shown(raw_key)} (known keys: {known})")
    return config


def _per_file_ignores(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    """Path pattern -> rule selectors. Each pattern must be usable (an unusable one
    would silently report what the user meant to ignore); the selectors are checked
    against the installed rules when the policy is built."""
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must map path patterns to rules")
    ignores = {}
    for pattern, rules in value.items():
        entry = f"{where}, pattern {shown(pattern)}"
        if not isinstance(pattern, str):
            raise ConfigError(f"{entry} must be a string")
        if not compile_all([pattern], entry):
            raise ConfigError(f"{entry} is not a path pattern (blank, or a comment)")
        ignores[pattern] = _string_list(rules, entry)
        if not ignores[pattern]:
            raise ConfigError(f"{entry} names no rule")
    return ignores


def _value_sets(value: Any, path: Path, where: str) -> dict[Path, tuple[tuple[Path, ...], ...]]:
    """`{chart folder: [[values file, ...], ...]}`, paths relative to the config's
    folder; each inner list is one value set, its files merged in order."""
    shape = f"{where} must map chart folders to lists of value sets, each a list of values files"
    if not isinstance(value, dict):
        raise ConfigError(shape)
    sets = {}
    for chart, items in value.items():
        if not isinstance(chart, str) or not isinstance(items, list) or not all(isinstance(item, list) and item for item in items):
            raise ConfigError(shape)
        folder = (path.parent / chart).resolve()
        if not (folder / "Chart.yaml").is_file():
            raise ConfigError(f"{where}: {shown(chart)} is not a chart folder (it has no Chart.yaml)")
        sets[folder] = tuple(tuple(path.parent / name for name in _string_list(item, where)) for item in items)
    return sets


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [item for item in value.replace(",", " ").split() if item]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{where} must be one of {', '.join(choices)}, got {shown(value)}")
    return value.lower()
