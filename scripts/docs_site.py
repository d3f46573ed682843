"""MkDocs hooks that make the documentation site (`mkdocs build --strict`, see
mkdocs.yml) from what the repository already holds, so nothing is written twice:

- the README, the front door, split at its `##` headings into one page per section,
  in its order; the subsections about tools that run iacguard are gathered on an
  Integrations page;
- the rule pages in docs/rules/ (scripts/render_rule_docs.py) with an index of every
  rule, made here from the rule registry;
- the resource model reference, docs/model.md (scripts/render_model_docs.py).

The README's pages and the rule index exist only in the built site.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# README subsections (under `## Running it`) that make up the Integrations page.
INTEGRATIONS = ("As a pre-commit hook", "In CI", "The GitHub Action", "The container image", "In an editor")
RULES_SECTION = "What it checks"
_HEADING = re.compile(r"^(#{2,3}) (.+)$")


@dataclass
class Page:
    title: str
    path: str
    text: list[str]


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def sections(readme: str) -> tuple[list[str], list[tuple[int, str, list[str]]]]:
    """The lines before the first `##` heading, then (level, title, lines) of every
    `##` and `###` section; headings inside fenced code are text."""
    top: list[str] = []
    found: list[tuple[int, str, list[str]]] = []
    fenced = False
    for line in readme.splitlines():
        fenced ^= line.startswith("```")
        heading = None if fenced else _HEADING.match(line)
        if heading:
            found.append((len(heading.group(1)), heading.group(2), []))
        else:
            (found[-1][2] if found else top).append(line)
    return top, found


def readme_pages(readme: str) -> list[Page]:
    """The README as pages: what precedes its first `##` heading is the overview, each
    `##` section a page with its `###` subsections one level up, except that the
    INTEGRATIONS subsections make a page of their own after the section holding them."""
    top, found = sections(readme)
    pages = [Page("Overview", "index.md", _overview(top))]
    integrations = Page("Integrations", "integrations.md", ["# Integrations", ""])
    section = pages[0]
    for level, title, lines in found:
        if level == 2:
            section = Page(title, "rules/index.md" if title == RULES_SECTION else f"{slug(title)}.md", [f"# {title}", *lines])
            pages.append(section)
        elif title in INTEGRATIONS:
            if integrations not in pages:
                pages.append(integrations)
            integrations.text += [f"## {title}", *lines]
        else:
            section.text += [f"## {title}", *lines]
    missing = set(INTEGRATIONS) - {title for _, title, _ in found}
    if missing:
        raise ValueError(f"the README has no section {sorted(missing)}: update INTEGRATIONS in {Path(__file__).name}")
    return pages


def _overview(lines: list[str]) -> list[str]:
    """The README's top matter with its `# iacguard` introduction first: a page starts
    with its title, and the quick start reads better after the introduction."""
    start = next(index for index, line in enumerate(lines) if line.startswith("# "))
    return [*lines[start:], "", "## Quick start", "", *lines[:start]]


def rule_index(registry) -> list[str]:
    from iacguard.cli import formats_of

    lines = ["", "## Every rule", "", "| rule | severity | formats | what it checks |", "|---|---|---|---|"]
    for code in sorted(registry.rules):
        rule = registry.rules[code]
        severity = rule.severity + ("" if rule.enabled else " (off by default)")
        lines.append(f"| [{code} {rule.name}]({code}.md) | {severity} | {', '.join(formats_of(registry, rule))} | {rule.summary} |")
    return lines


def on_files(files, config):
    """Add the README's pages and the rule index to the site."""
    from mkdocs.structure.files import File

    sys.path.insert(0, str(ROOT))
    from iacguard.plugins import load_registry

    for page in readme_pages(README.read_text(encoding="utf-8")):
        text = page.text + (rule_index(load_registry(autoload=False)) if page.path == "rules/index.md" else [])
        files.append(File.generated(config, page.path, content="\n".join(text).rstrip() + "\n"))
    return files


def on_config(config):
    """The navigation follows the README; the rule pages are listed under its rules
    section and the model reference follows Plugins."""
    nav = [{page.title: page.path} for page in readme_pages(README.read_text(encoding="utf-8"))]
    rules = next(entry for entry in nav if "rules/index.md" in entry.values())
    (title,) = rules
    rules[title] = ["rules/index.md", *(f"rules/{page.name}" for page in sorted((ROOT / "docs" / "rules").glob("*.md")))]
    plugins = next(index for index, entry in enumerate(nav) if "plugins.md" in entry.values())
    nav.insert(plugins + 1, {"Resource model": "model.md"})
    config["nav"] = nav
    return config
