"""Render docs/rules/<CODE>.md from the rule docstrings (the pages SARIF `helpUri`
points to). Run after changing a rule's documentation:

    python scripts/render_rule_docs.py

tests/test_catalog.py fails when the pages are out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "rules"


def render(rule, formats: list[str]) -> str:
    lines = [f"# {rule.code} {rule.name}", "", f"Severity: **{rule.severity}**" + ("" if rule.enabled else " (off by default)")]
    lines.append(f"Formats: {', '.join(formats)}")
    if rule.fix is not None:
        how = "safe: `iacguard fix` applies it" if rule.fix.safe else "unsafe: `iacguard fix --unsafe-fixes` applies it"
        lines.append(f"Fix: {', '.join(rule.fix.formats)} ({how})")
    if rule.aliases:
        lines.append(f"Also answers to: {', '.join(rule.aliases)} (former codes and names: selecting, ignoring or suppressing them reaches this rule too)")
    lines += ["", rule.doc, ""]
    if rule.options:
        lines += ["## Options", ""]
        lines += [f"- `{option.name}` ({option.type.__name__}, default `{list(option.default) if isinstance(option.default, tuple) else option.default}`): {option.help}" for option in rule.options]
        lines.append("")
    if rule.references:
        lines += ["## Equivalent checks", ""]
        lines += [f"- {source}: {', '.join(ids)}" for source, ids in rule.references.items()]
        lines.append("")
    return "\n".join(lines)


def pages() -> dict[Path, str]:
    sys.path.insert(0, str(ROOT))
    from iacguard.cli import formats_of
    from iacguard.plugins import load_registry

    registry = load_registry(autoload=False)
    result = {}
    for rule in registry.rules.values():
        result[DOCS / f"{rule.code}.md"] = render(rule, formats_of(registry, rule))
    return result


def main() -> int:
    DOCS.mkdir(parents=True, exist_ok=True)
    rendered = pages()
    for path, text in rendered.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {len(rendered)} pages to {DOCS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
