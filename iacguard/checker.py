"""One file checked in this process, with the repository's configuration and the
file's neighbours on disk: what `iacguard fix` and the language server share.

The text checked may differ from the file on disk (an editor's unsaved buffer, a
fix being verified); everything the file pulls in (var files, modules, parameter
files, kustomizations) is read from disk, inside the scan root, through the one
input door as in a scan. Results come from a fresh scan of the file, never from the
cache: a fix needs the resources the findings were made from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from iacguard.config import find_config, load_config
from iacguard.inputs import find_scan_root


@dataclass
class Checker:
    registry: object
    policy: object
    context: object
    discovery: object
    root: Path
    cwd: Path

    @classmethod
    def for_path(cls, path: Path, cwd: Path, root: Path | None = None, registry=None) -> Checker:
        """The checker for files under `path`: its scan root (the git work tree), and
        the configuration found from `path` up to that root."""
        root = root or find_scan_root(path)
        return cls.for_config(load_config(find_config(path, root), cwd, root), root, cwd, registry=registry)

    @classmethod
    def for_config(cls, config, root: Path, cwd: Path, *, gitignore: bool = True, var_files: tuple[Path, ...] | None = None,
                   param_files: tuple[Path, ...] | None = None, inline_suppressions: bool = True, registry=None) -> Checker:
        """The checker of a scan with `config` (a config file, with the command line's
        choices over it): the same files found, the same rules, the same inputs."""
        from iacguard.discovery import Discovery
        from iacguard.formats import ScanContext
        from iacguard.plugins import load_registry
        from iacguard.policy import build_policy

        registry = registry or load_registry()
        context = ScanContext(terraform_var_files=config.terraform_var_files if var_files is None else var_files,
                              arm_parameter_files=config.arm_parameter_files if param_files is None else param_files,
                              max_file_size=config.max_file_size, root=root, inline_suppressions=inline_suppressions)
        discovery = Discovery(list(registry.formats.values()), cwd, config.root, config.exclude, gitignore=gitignore, scan_root=root)
        return cls(registry, build_policy(registry, config), context, discovery, root, cwd)

    def target(self, path: Path, text: str | None = None):
        """The file as a target of the format it is in, or None when no format
        claims it. A name that several formats may claim (`*.yaml`) is told by
        `text` when given (an editor's buffer, which may not be on disk yet)."""
        from iacguard.discovery import SNIFF_BYTES, Target

        if text is None:
            found = self.discovery.target(path)
            return found if isinstance(found, Target) else None
        fmt = self.discovery.format_for(path.name, lambda: text[:SNIFF_BYTES])
        return None if fmt is None else Target(self.discovery.display(path), fmt, path)

    def check(self, target, text: str) -> tuple[list, list]:
        """The findings (suppressed ones included, marked) and diagnostics of the
        target with `text` as its content."""
        from iacguard.runner import scan_file

        findings, diagnostics, _ = scan_file(replace(target, text=text), self.registry, self.policy, self.context)
        self.policy.suppress_by_path(findings, self.cwd)
        return findings, diagnostics

    def check_for_fixes(self, target, text: str) -> tuple[list, set]:
        """What `iacguard.fixes.engine.fix_text` asks of a scan: the unsuppressed
        findings and the errors (code and message) of the text."""
        findings, diagnostics = self.check(target, text)
        errors = {(diagnostic.code, diagnostic.message) for diagnostic in diagnostics if diagnostic.level == "error"}
        return [finding for finding in findings if finding.suppression is None], errors
