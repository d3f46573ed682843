"""Configuration: `.iacguard.yaml` (or `.iacguard.yml`) or `[tool.iacguard]` in
`pyproject.toml`, found upward from the working directory.

Keys are validated when loaded; an unknown key or a value of the wrong type is a
`ConfigError` that names the file and the key. Keys may be written with `-` or `_`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from iacguard.errors import ConfigError
from iacguard.rule import SEVERITIES

CONFIG_NAMES = (".iacguard.yaml", ".iacguard.yml")
FAIL_ON_CHOICES = (*SEVERITIES, "none")


@dataclass
class Config:
    """Settings from a config file, possibly overridden by the command line.

    Path patterns in `exclude` are relative to `root`, the config file's folder (or
    the working directory when there is no config file).
    """

    root: Path
    source: Path | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    fail_on: str = "low"
    severity: dict[str, str] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    baseline: Path | None = None
    terraform_var_files: tuple[Path, ...] = ()
    arm_parameter_files: tuple[Path, ...] = ()
    max_file_size: int = 10 * 1024 * 1024


def find_config(start: Path) -> Path | None:
    """The nearest config file in `start` or its parents."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def load_config(path: Path | None, cwd: Path) -> Config:
    """Load and validate a config file; no file gives the defaults."""
    if path is None:
        return Config(root=cwd)
    if path.name == "pyproject.toml":
        data = _pyproject_section(path) or {}
    else:
        data = _read_yaml(path)
    return _validate(data, path)


def _pyproject_section(path: Path) -> dict | None:
    import tomllib  # on first use: start-up time counts

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    section = document.get("tool", {}).get("iacguard")
    return section if isinstance(section, dict) else None


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: invalid YAML: {error}".replace("\n", " ")) from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of keys to values")
    return data


def _validate(data: dict, path: Path) -> Config:
    config = Config(root=path.parent, source=path)
    for raw_key, value in data.items():
        key = str(raw_key).replace("-", "_")
        where = f"{path}: key {raw_key!r}"
        if key == "select":
            config.select = _string_list(value, where)
        elif key == "ignore":
            config.ignore = _string_list(value, where)
        elif key == "exclude":
            config.exclude = _string_list(value, where)
        elif key == "fail_on":
            config.fail_on = _choice(value, FAIL_ON_CHOICES, where)
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must map rule codes or names to severities")
            config.severity = {str(rule): _choice(level, SEVERITIES, f"{where}, rule {rule!r}") for rule, level in value.items()}
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
        elif key == "rules":
            if not isinstance(value, dict) or not all(isinstance(options, dict) for options in value.values()):
                raise ConfigError(f"{where} must map rule codes or names to option mappings")
            config.rules = {str(rule): dict(options) for rule, options in value.items()}
        else:
            known = "select, ignore, exclude, fail_on, severity, rules, baseline, terraform_var_files, arm_parameter_files, max_file_size"
            raise ConfigError(f"{path}: unknown key {raw_key!r} (known keys: {known})")
    return config


def _string_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [item for item in value.replace(",", " ").split() if item]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if not isinstance(value, str) or value.lower() not in choices:
        raise ConfigError(f"{where} must be one of {', '.join(choices)}, got {value!r}")
    return value.lower()
