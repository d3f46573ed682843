"""Property-based tests: whatever the input, parsers and evaluators raise nothing
but iacguard's ParseError, and never hang.

CI runs a modest number of examples. A longer run:

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iacguard import shell
from iacguard.budgets import Budget
from iacguard.errors import ParseError
from iacguard.evaluators import dockerfile as dockerfile_evaluator
from iacguard.evaluators.arm import Scope as ArmScope
from iacguard.evaluators.bicep import BicepScope
from iacguard.evaluators.terraform import module_scope
from iacguard.formats import ScanContext
from iacguard.normalizers import arm as arm_normalizer
from iacguard.normalizers import bicep as bicep_normalizer
from iacguard.normalizers import dockerfile as dockerfile_normalizer
from iacguard.normalizers import kubernetes as kubernetes_normalizer
from iacguard.normalizers import terraform as terraform_normalizer
from iacguard.parsers import bicep_syntax, hcl
from iacguard.parsers.arm import ArmFormat
from iacguard.parsers.bicep import BicepFormat
from iacguard.parsers.dockerfile import DockerfileFormat
from iacguard.parsers.kubernetes import KubernetesFormat
from iacguard.parsers.terraform import TerraformFormat
from support import TESTDATA

settings.register_profile("ci", max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def seeds(suffixes: tuple[str, ...]) -> list[str]:
    return [path.read_text() for path in sorted(TESTDATA.glob("IG*/*/*")) if path.name.endswith(suffixes) and path.name.startswith(("pass_", "fail_"))]


def mutated(corpus: list[str]):
    """Real fixtures with random slices cut out, duplicated or replaced."""
    @st.composite
    def build(draw):
        text = draw(st.sampled_from(corpus))
        for _ in range(draw(st.integers(1, 4))):
            start = draw(st.integers(0, len(text)))
            end = draw(st.integers(start, min(len(text), start + 40)))
            filler = "".join(draw(st.lists(st.sampled_from(list("{}[]()\"'$\\#:-=|&;<>\n\t *`@!,.") + ["EOF", "<<", "${", "[*]", "---"]), max_size=8)))
            text = text[:start] + filler + (text[start:end] if draw(st.booleans()) else "") + text[end:]
        return text

    return build()


ANY_TEXT = st.text(max_size=400)


def normalizes(fmt, normalize, text: str) -> None:
    try:
        parsed = fmt.parse(text, "fuzzed")
        list(normalize(parsed, ScanContext()))
    except ParseError:
        pass
    except RecursionError:  # reported by the runner as "nested too deeply"
        pass


@given(st.one_of(ANY_TEXT, mutated(seeds(("Dockerfile",)))))
def test_dockerfile(text):
    normalizes(DockerfileFormat(), dockerfile_normalizer.normalize, text)


@given(st.one_of(ANY_TEXT, mutated(seeds((".yaml",)))))
def test_kubernetes(text):
    normalizes(KubernetesFormat(), kubernetes_normalizer.normalize, text)


@given(st.one_of(ANY_TEXT, mutated(seeds((".tf",)))))
def test_terraform(text):
    normalizes(TerraformFormat(), terraform_normalizer.normalize, text)


@given(st.one_of(ANY_TEXT, mutated(seeds((".json",)))))
def test_arm(text):
    normalizes(ArmFormat(), arm_normalizer.normalize, text)


@given(st.one_of(ANY_TEXT, mutated(seeds((".bicep",)))))
def test_bicep(text):
    normalizes(BicepFormat(), bicep_normalizer.normalize, text)


BICEP_EXPRESSIONS = st.recursive(
    st.sampled_from(["'a'", "1", "true", "null", "p", "v", "site.id", "'${p}-b'", "[1, 2]", "{a: 'b'}", "resourceGroup().location", "'it\\'s'"]),
    lambda inner: st.one_of(
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["concat", "format", "union", "coalesce", "contains", "sys.toLower", "split", "join", "replace"]), inner, inner),
        st.builds(lambda c, a, b: f"{c} ? {a} : {b}", inner, inner, inner),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "=~", "<", "&&", "||", "??"]), inner),
        st.builds(lambda op, a: f"{op}{a}", st.sampled_from(["!", "-"]), inner),
        st.builds(lambda a, k: f"{a}{k}", inner, st.sampled_from([".a", ".?a", "[0]", "[?1]", "!"])),
        st.builds(lambda a: f"map([{a}], x => x)", inner),
        st.builds(lambda a: f"[for x in {a}: x]", inner),
        st.builds(lambda a: f"{{...{a}, k: 1}}", inner),
    ),
    max_leaves=12,
)


@given(st.one_of(BICEP_EXPRESSIONS, st.text(max_size=60)))
def test_bicep_evaluator(expression):
    try:
        parsed = bicep_syntax.parse(f"param p string = 'x'\nvar v = p\nvar z = {expression}\nresource site 'Microsoft.Web/sites@2022-09-01' = {{\n  name: z\n}}\n")
    except (ParseError, RecursionError):
        return
    scope = BicepScope(parsed.statements, {})
    for statement in parsed.statements:
        if statement.kind == "var":
            scope.evaluate(statement.value)


ARM_EXPRESSIONS = st.recursive(
    st.sampled_from(["'a'", "1", "parameters('p')", "variables('v')", "true()", "resourceGroup().location", "createObject('k', 1)", "'it''s'"]),
    lambda inner: st.one_of(
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["concat", "format", "equals", "union", "and", "or", "coalesce", "contains", "if"]), inner, inner),
        st.builds(lambda a: f"not({a})", inner),
        st.builds(lambda a: f"{a}.k", inner),
        st.builds(lambda a, b: f"{a}[{b}]", inner, inner),
    ),
    max_leaves=10,
)


@given(st.one_of(ARM_EXPRESSIONS.map(lambda e: f"[{e}]"), st.text(max_size=60).map(lambda t: f"[{t}]")))
def test_arm_evaluator(expression):
    ArmScope({"p": "x"}, {"v": "[parameters('p')]"}).value(expression)


@given(st.one_of(ANY_TEXT, mutated(seeds(("Dockerfile",)))))
def test_shell(text):
    for pipeline in shell.parse(text):
        for command in pipeline:
            assert isinstance(command.program, str)


@given(ANY_TEXT, st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
def test_dockerfile_expansion(raw, scope):
    dockerfile_evaluator.expand(raw, scope, "\\", Budget())
    dockerfile_evaluator.split_words(raw, "`")
    dockerfile_evaluator.key_values(raw, "\\", legacy=True)


EXPRESSIONS = st.recursive(
    st.sampled_from(['"a"', "1", "true", "null", "var.x", "local.y", '"${var.x}-b"', "[1, 2]", '{ a = "b" }', "var.m[\"k\"]"]),
    lambda inner: st.one_of(
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["lookup", "merge", "format", "coalesce", "concat", "lower", "try", "element", "substr", "join"]), inner, inner),
        st.builds(lambda c, a, b: f"{c} ? {a} : {b}", inner, inner, inner),
        st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "&&", "||"]), inner),
        st.builds(lambda a: f"!{a}", inner),
    ),
    max_leaves=12,
)


@given(EXPRESSIONS)
def test_terraform_evaluator(expression):
    try:
        parsed = hcl.parse(f'variable "x" {{ default = "v" }}\nvariable "m" {{ default = {{ k = 1 }} }}\nlocals {{\n  y = 2\n  z = {expression}\n}}\n')
    except ParseError:
        return
    module_scope([parsed], [])._local("z")
