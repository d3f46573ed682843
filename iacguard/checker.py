"""One file checked in this process, with the repository's configuration and the
file's neighbours on disk: what `iacguard fix` and the language server share.

The text checked may differ from the file on disk (an editor's unsaved buffer, a
fix being verified); everything the file pulls in (var files, modules, parameter
files, kustomizations) is read from disk, inside the scan root, through the one
input door as in a scan. The file is checked as a scan of it checks it, the text
standing in for the file (`iacguard.scope`): through the builds it is part of (a
Kustomize base or patch, a chart's template), and for the language server with every
file that uses it, so an editor shows what the scan reports in the file and nothing
else. Results come from a fresh scan, never from the cache: a fix needs the
resources the findings were made from.
"""

from __future__ import annotations

from collections import Counter
from functools import cached_property
from pathlib import Path

from iacguard.config import find_config, load_config
from iacguard.diagnostics import says_broken
from iacguard.inputs import find_scan_root
from iacguard.structs import struct


@struct
class Checker:
    registry: object
    policy: object
    context: object
    discovery: object
    root: Path
    cwd: Path
    baseline_path: Path | None = None  # the config's `baseline`: what the language server does not show

    @classmethod
    def for_path(cls, path: Path, cwd: Path, root: Path | None = None, registry=None) -> Checker:
        """The checker for files under `path`: its scan root (the git work tree), and
        the configuration found from `path` up to that root."""
        root = root or find_scan_root(path)
        return cls.for_config(load_config(find_config(path, root), cwd, root), root, cwd, registry=registry)

    @classmethod
    def for_config(cls, config, root: Path, cwd: Path, *, gitignore: bool = True, var_files: tuple[Path, ...] | None = None,
                   param_files: tuple[Path, ...] | None = None, inline_suppressions: bool = True, named: frozenset[str] = frozenset(),
                   registry=None) -> Checker:
        """The checker of a scan with `config` (a config file, with the command line's
        choices over it): the same files found, the same rules, the same inputs."""
        from iacguard.discovery import Discovery
        from iacguard.formats import ScanContext
        from iacguard.plugins import load_registry
        from iacguard.policy import build_policy

        registry = registry or load_registry()
        context = ScanContext(terraform_var_files=config.terraform_var_files if var_files is None else var_files,
                              arm_parameter_files=config.arm_parameter_files if param_files is None else param_files,
                              max_file_size=config.max_file_size, root=root, inline_suppressions=inline_suppressions,
                              helm_value_sets=config.helm_value_sets, named=named)
        discovery = Discovery(list(registry.formats.values()), cwd, config.root, config.exclude, gitignore=gitignore, scan_root=root,
                              max_file_size=config.max_file_size)
        return cls(registry, build_policy(registry, config), context, discovery, root, cwd, config.baseline)

    def target(self, path: Path, text: str):
        """The buffer `text` (an editor's, which may not be on disk yet) as a scan of
        standard input standing in for the file at `path` takes it
        (`scope.buffer_target`): a file of a Helm chart, or one no format claims, is
        a `Skipped`, checked (by `check`) only through the files that use it."""
        from iacguard.scope import buffer_target

        return buffer_target(self.discovery, str(path), text)

    @cached_property
    def tree(self):
        """The scan root as the dependents search sees it (`dependents.Tree`): the
        builds that check a file, the files that use or share it. Walked once, and
        what it derived from the files (which file calls which module, the
        kustomizations' graph) kept, for every check until `forget`: a fix changes no
        such link, and `iacguard fix` checks every file of a tree, each again for
        every fix (reading the tree at every check made a fix of the corpus's
        Terraform repository take 16 times as long)."""
        from iacguard.dependents import Tree

        return Tree(self.discovery, self.root, self.context)

    def forget(self) -> None:
        """Forget what the checks derived from the files, which may have changed on
        disk or in an editor (a language server, before each check), keeping the
        walk: a checker lives as long as the files it was made for (the language
        server drops it when files are added or removed)."""
        self.tree.forget_contents()

    def check(self, path: Path, text: str) -> tuple[list, list]:
        """The findings (suppressed ones included, marked) that a scan of the file at
        `path` with `text` as its content reports in that file, and the scan's
        diagnostics: the scan of `iacguard scan --stdin-filename PATH -` (its targets
        from `iacguard.scope`, their findings `runner.combined`), the file checked
        with the files that use it. So a file checked only through builds (a
        Kustomize base or patch, a chart's template or values file) is checked
        through them, `text` standing in for the file; a value a sibling file uses (a
        Terraform variable's default) is judged where it is used; a module's file is
        judged through its callers where they call it. What the scan finds in the
        other files is theirs. The diagnostics are all the scan's: a fix that breaks a
        build breaks it wherever the build says."""
        from iacguard.discovery import Target
        from iacguard.runner import combined, scan_file
        from iacguard.scope import scope_of

        own = self.target(path, text)
        self.context.stand_in({path: text})
        by_target, diagnostics = [], []
        try:
            scope = scope_of(self.tree, self.registry, [own] if isinstance(own, Target) else [], [], [str(path)])
            for target in scope.targets:  # in this process, as `runner.scan` does without its cache: the fixes need the resources
                found, problems, _ = scan_file(target, self.registry, self.policy, self.context)
                by_target.append(found)
                diagnostics += problems
        finally:
            self.context.stand_in({})
        findings = [finding for finding in combined(by_target) if finding.location.path == own.display]
        self.policy.suppress_by_path(findings, self.cwd)
        return findings, [*scope.diagnostics, *diagnostics]

    @cached_property
    def baseline(self):
        """The config's baseline (`baseline.Baseline`), or None."""
        from iacguard.baseline import load_baseline

        return load_baseline(self.baseline_path) if self.baseline_path is not None else None

    def check_for_fixes(self, path: Path, text: str) -> tuple[list, Counter]:
        """What `iacguard.fixes.engine.fix_text` asks of a scan: the unsuppressed
        findings of the text, and its diagnostics that say it is broken
        (`diagnostics.says_broken`), each as level, code and message."""
        findings, diagnostics = self.check(path, text)
        broken = Counter((diagnostic.level, diagnostic.code, diagnostic.message) for diagnostic in diagnostics if says_broken(diagnostic))
        return [finding for finding in findings if finding.suppression is None], broken
