"""Meta-tests that keep the rule catalog honest."""

from __future__ import annotations

import re
import textwrap

import pytest

from support import TESTDATA, load_script
from iacguard.plugins import load_registry
from iacguard.rule import DOC_HEADINGS, WHY_THIS_DEFAULT, _cleandoc
from iacguard.testing import missing_fixtures

REGISTRY = load_registry(autoload=False)
RULES = sorted(REGISTRY.rules.values(), key=lambda rule: rule.code)


def test_codes_and_names_are_unique_and_well_formed():
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"IG[1-9]\d\d", code) for code in codes)


@pytest.mark.parametrize("doc", [
    "Title.\n\n    Body line.\n      indented more\n\n    ### ARM\n    last\n    ",
    "\n    Title on its own line.\n    body\n",
    "Title.\n\tTabbed.\n\t  deeper\n \t\n",
    "Title.\n  two\n    four\n \n",
    "Title.\n    mixed\n  \tmargins\n",
    "Only a title.",
    "",
])
def test_a_rule_s_docstring_loses_its_indentation_as_textwrap_dedent_takes_it(doc):
    """The oracle: the first line stripped and the rest dedented by `textwrap`."""
    first, _, rest = doc.strip("\n").partition("\n")
    assert _cleandoc(doc) == (first.strip() + "\n" + textwrap.dedent(rest)).strip()


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_documentation_has_the_four_headings_in_order(rule):
    positions = [rule.doc.find(f"## {heading}\n") for heading in DOC_HEADINGS]
    assert all(position > 0 for position in positions), rule.doc
    assert positions == sorted(positions)
    assert rule.summary.endswith(".") and len(rule.summary) < 100


# Groups (and single rules) whose documentation says how to fix and shows an example
# in each format's own syntax (`### <format label>` subsections, shown alone by
# `explain --for`).
PER_FORMAT_DOCS = ("IG5", "IG6", "IG7", "IG8", "IG9", "IG214")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_per_format_subsections_cover_exactly_the_rules_formats(rule):
    # A format that renders into another (Helm charts, Terraform plans) is documented
    # by that one's subsection, which `explain --for` shows for it.
    labels = [REGISTRY.formats[name].label for name in REGISTRY.formats_checked_by(rule)]
    for heading in ("How to fix", "Example"):
        section = rule.doc.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        subsections = re.findall(r"^### (.+)$", re.sub(r"^```.*?^```", "", section, flags=re.M | re.S), flags=re.M)
        if subsections or rule.code.startswith(PER_FORMAT_DOCS):
            assert subsections == labels, f"{rule.code} {heading}: subsections {subsections}, formats {labels}"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_why_this_default_follows_why_it_matters(rule):
    position = rule.doc.find(f"## {WHY_THIS_DEFAULT}\n")
    if position >= 0:
        assert rule.doc.find("## Why it matters\n") < position < rule.doc.find("## How to fix\n")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_format_of_a_rule_has_pass_and_fail_fixtures(rule):
    assert missing_fixtures(TESTDATA, rule, REGISTRY) == []


def test_no_fixture_folder_without_a_rule():
    for folder in TESTDATA.glob("IG*"):
        assert folder.name in REGISTRY.rules, f"testdata/{folder.name} names no rule"


def test_references_name_known_peers():
    peers = {"hadolint", "checkov", "trivy", "kube-linter", "kics", "cis", "defender"}
    for rule in RULES:
        assert set(rule.references) <= peers, rule.code


def test_rule_pages_are_up_to_date():
    stale = [path.name for path, text in load_script("render_rule_docs").pages().items() if not path.exists() or path.read_text() != text]
    assert stale == [], "run: python scripts/render_rule_docs.py"
