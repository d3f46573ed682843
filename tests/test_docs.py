"""The documentation site and the generated pages it holds: the model reference is
current, every kind is described, and `mkdocs build --strict` (warnings are errors)
builds the site from the README, the rule pages and the model reference.

MkDocs comes with the `docs` extra, which CI installs; elsewhere the build test is
skipped with the reason when it is missing.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest

from iacguard.model import KIND_ATTRIBUTES, KIND_DESCRIPTIONS

from support import ROOT, load_script


def test_every_kind_is_described():
    assert list(KIND_DESCRIPTIONS) == list(KIND_ATTRIBUTES)


def test_the_model_reference_is_up_to_date():
    stale = [path.name for path, text in load_script("render_model_docs").pages().items() if not path.exists() or path.read_text() != text]
    assert stale == [], "run: python scripts/render_model_docs.py"


def test_the_model_reference_names_what_each_format_reads():
    page = (ROOT / "docs" / "model.md").read_text()
    assert "| `https_only` | bool; the platform default is false | Terraform: `https_only`; ARM, Bicep: `properties.httpsOnly` |" in page
    assert "| `run_as_user` | effective UID (container over pod) | Kubernetes; ARM, Bicep: `properties.securityContext.runAsUser`; Docker Compose: `user` |" in page


def test_every_readme_section_is_on_one_page():
    docs_site = load_script("docs_site")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pages = docs_site.readme_pages(readme)
    top, sections = docs_site.sections(readme)
    shown = "\n".join(line for page in pages for line in page.text)
    assert all(line in shown for _, _, lines in sections for line in lines if line.strip())
    assert [page.path for page in pages][:2] == ["index.md", "rules/index.md"]
    assert {"integrations.md", "running-on-untrusted-code.md"} <= {page.path for page in pages}


def test_the_site_builds_without_warnings(tmp_path):
    if importlib.util.find_spec("mkdocs") is None:
        if os.environ.get("CI"):
            pytest.fail("MkDocs is not installed; CI installs the docs extra and must build the site")
        pytest.skip("MkDocs is not installed (pip install -e '.[docs]')")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    for page in ("index.html", "integrations/index.html", "running-on-untrusted-code/index.html",
                 "model/index.html", "rules/index.html", "rules/IG201/index.html"):
        assert (site / page).is_file(), page
    assert 'href="IG201/"' in (site / "rules" / "index.html").read_text()
