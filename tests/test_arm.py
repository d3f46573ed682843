"""ARM templates: expressions, parameter files, suppressions, recognition."""

import json

import pytest

from iacguard.evaluators.arm import Scope
from iacguard.model import Unknown

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("[parameters('env')]", "prod"),
        ("[variables('name')]", "app-prod"),
        ("[if(equals(parameters('env'), 'prod'), '1.2', '1.0')]", "1.2"),
        ("[toLower(concat('A', 'B'))]", "ab"),
        ("[format('{0}-{1}', parameters('env'), 3)]", "prod-3"),
        ("[not(bool('false'))]", True),
        ("[or(parameters('unknown'), true())]", True),
        ("[and(parameters('unknown'), false())]", False),
        ("[union(createObject('a', 1), createObject('b', 2))]", {"a": 1, "b": 2}),
        ("[parameters('tags').team]", "orders"),
        ("[string(length(createArray(1, 2)))]", "2"),
        ("[[not an expression]", "[not an expression]"),
        ("[resourceId('Microsoft.Web/sites', 'a')]", "resourceId(Microsoft.Web/sites,a)"),
        ("[sub(add(1, mul(2, 3)), mod(-7, 2))]", 8),
        ("[div(-7, 2)]", -3),
    ],
)
def test_known(expression, value):
    scope = Scope({"env": "prod", "tags": {"team": "orders"}, "unknown": Unknown("x")}, {"name": "[concat('app-', parameters('env'))]"})
    assert scope.value(expression) == value


@pytest.mark.parametrize("expression", ["[resourceGroup().location]", "[reference('x').id]", "[uniqueString('a')]", "[parameters('missing')]", "[variables('self')]"])
def test_unknown(expression):
    assert isinstance(Scope({}, {"self": "[variables('self')]"}).value(expression), Unknown)


def test_names_ignore_case_and_keys_that_are_not_strings_match_nothing():
    scope = Scope({1: "one", "Env": "prod"}, {"Name": "app"})
    assert scope.value("[parameters('env')]") == "prod"
    assert scope.value("[variables('NAME')]") == "app"
    assert scope.value("[createObject('Team', 'orders').team]") == "orders"
    assert isinstance(scope.value("[parameters('1')]"), Unknown)
    assert isinstance(scope.value("[createObject(1, true()).x]"), Unknown)


def test_malformed_expressions_are_reported_not_raised():
    scope = Scope({}, {})
    assert isinstance(scope.value("[concat('a', ]"), Unknown)
    assert scope.value("[concat('a'") == "[concat('a'"  # no closing bracket: a plain string, not an expression
    assert scope.errors and "malformed template expression" in scope.errors[0]


SITE = {
    "type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "[parameters('name')]", "location": "westeurope",
    "properties": {"httpsOnly": "[concat(']"},
}


def test_suppressions_and_diagnostics(cli, tmp_path):
    suppressed = dict(SITE, name="quiet", metadata={"iacguard": {"ignore": ["IG505", "app-client-certs-off"], "reason": "internal tool"}})
    suppressed["properties"] = {"httpsOnly": True}
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"name": {"type": "string"}}, "resources": [SITE, suppressed]}
    text = json.dumps(template, indent=2).replace('"resources": [', '"resources": [\n    // iacguard:ignore IG506 -- behind the gateway', 1)
    (tmp_path / "main.json").write_text(text)
    (tmp_path / "main.parameters.json").write_text(json.dumps({"$schema": SCHEMA.replace("Template", "Parameters"), "parameters": {"name": {"value": "orders"}}}))
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501,IG505,IG506,IG507", cwd=tmp_path).out)
    assert document["summary"]["files"] == 1  # the parameter file is an input, not a template
    findings = {(f["resource"], f["rule"]): f["suppression"] for f in document["findings"]}
    assert findings[("Microsoft.Web/sites/quiet", "IG505")] == {"kind": "metadata", "reason": "internal tool"}
    assert findings[("Microsoft.Web/sites/quiet", "IG507")] == {"kind": "metadata", "reason": "internal tool"}
    assert findings[("Microsoft.Web/sites/orders", "IG506")] == {"kind": "inline", "reason": "behind the gateway"}
    assert ("Microsoft.Web/sites/orders", "IG501") not in findings  # httpsOnly is a malformed expression: unknown
    assert any("malformed template expression" in w["message"] for w in document["warnings"])


def test_param_file_option_and_conditions(cli, tmp_path):
    site = dict(SITE, name="orders", condition="[parameters('deploy')]")
    site["properties"] = {"httpsOnly": "[parameters('https')]"}
    template = {"$schema": SCHEMA, "parameters": {"deploy": {"type": "bool", "defaultValue": True}, "https": {"type": "bool", "defaultValue": True}}, "resources": [site]}
    (tmp_path / "t.json").write_text(json.dumps(template))
    (tmp_path / "insecure.json").write_text(json.dumps({"parameters": {"https": {"value": False}}}))
    (tmp_path / "off.json").write_text(json.dumps({"parameters": {"https": {"value": False}, "deploy": {"value": False}}}))
    assert cli("scan", "--select", "IG501", "t.json", cwd=tmp_path).code == 0
    assert cli("scan", "--select", "IG501", "--param-file", "insecure.json", "t.json", cwd=tmp_path).code == 1
    assert cli("scan", "--select", "IG501", "--param-file", "off.json", "t.json", cwd=tmp_path).code == 0
    assert cli("scan", "--param-file", "missing.json", cwd=tmp_path).code == 2


def test_copy_index_reads_the_loops_in_reach():
    scope = Scope({}, {}).in_loop("sites", 2, None, resource=True).in_loop("rules", 1, None)
    assert scope.value("[copyIndex()]") == 2
    assert scope.value("[copyIndex(10)]") == 12
    assert scope.value("[copyIndex('RULES')]") == 1
    assert scope.value("[copyIndex('rules', 1)]") == 2
    assert isinstance(scope.value("[copyIndex('other')]"), Unknown)
    assert isinstance(Scope({}, {}).value("[copyIndex()]"), Unknown)  # outside a loop


def test_variable_copies_make_arrays_and_objects_keep_their_other_members():
    variables = {
        "copy": [{"name": "disks", "count": 2, "input": {"lun": "[copyIndex('disks')]"}}],
        "nested": {"size": 1, "copy": [{"name": "names", "count": 2, "input": "[concat('d', copyIndex('names', 1))]"}]},
        "unknown": {"copy": [{"name": "items", "count": "[parameters('missing')]", "input": 1}]},
    }
    scope = Scope({}, variables)
    assert scope.value("[variables('disks')]") == [{"lun": 0}, {"lun": 1}]
    assert scope.value("[variables('nested')]") == {"size": 1, "names": ["d1", "d2"]}
    assert isinstance(scope.value("[variables('unknown').items]"), Unknown)


def test_parameter_defaults_use_other_parameters_and_functions_but_not_variables():
    declared = {
        "env": {"type": "string", "defaultValue": "prod"},
        "name": {"type": "string", "defaultValue": "[concat('app-', toUpper(parameters('env')))]"},
        "sneaky": {"type": "string", "defaultValue": "[variables('v')]"},
        "loop": {"type": "string", "defaultValue": "[parameters('loop')]"},
    }
    scope = Scope({"env": "dev"}, {"v": "x"}, declared=declared)
    assert scope.value("[parameters('name')]") == "app-DEV"  # the value given wins over the default
    assert isinstance(scope.value("[parameters('sneaky')]"), Unknown)
    assert isinstance(scope.value("[parameters('loop')]"), Unknown)


def test_user_defined_functions_see_only_their_own_parameters():
    functions = {
        "ns.name": {"parameters": [{"name": "prefix", "type": "string"}], "output": {"type": "string", "value": "[concat(parameters('prefix'), '-app')]"}},
        "ns.leaky": {"parameters": [], "output": {"type": "string", "value": "[variables('v')]"}},
        "ns.self": {"parameters": [], "output": {"type": "string", "value": "[ns.self()]"}},
    }
    scope = Scope({"prefix": "outer"}, {"v": "x"}, functions=functions)
    assert scope.value("[ns.name('orders')]") == "orders-app"
    assert scope.value("[NS.Name('a')]") == "a-app"
    assert isinstance(scope.value("[ns.leaky()]"), Unknown)
    assert isinstance(scope.value("[ns.self()]"), Unknown)
    assert isinstance(scope.value("[ns.name()]"), Unknown)  # arguments that do not fit
    assert isinstance(scope.value("[ns.missing('a')]"), Unknown)


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("[first(map(createArray(1, 2), lambda('x', uniqueString(string(lambdaVariables('x'))))))]", Unknown),
        ("[map(createArray(1, 2), lambda('x', 'i', concat(string(lambdaVariables('x')), string(lambdaVariables('i')))))]", ["10", "21"]),
        ("[filter(createArray(1, 2), lambda('x', parameters('unknown')))]", Unknown),  # the test cannot be decided
        ("[sort(createArray('b', 'a'), lambda('l', 'r', less(lambdaVariables('l'), lambdaVariables('r'))))]", ["a", "b"]),
        ("[toObject(createArray('a'), lambda('k', parameters('unknown')))]", Unknown),
        ("[lambdaVariables('x')]", Unknown),
        ("[length(lambda('x', lambdaVariables('x')))]", Unknown),  # a lambda is no value
        ("[parameters('tags').a.b]", "c"),  # a path of several properties
    ],
)
def test_lambdas(expression, value):
    result = Scope({"unknown": Unknown("u"), "tags": {"a": {"b": "c"}}}, {}).value(expression)
    if value is Unknown:
        assert isinstance(result, Unknown)
    else:
        assert result == value


def test_a_value_a_copy_loop_selects_is_located_at_its_element(cli, tmp_path):
    sites = [{"name": "a", "httpsOnly": True}, {"name": "b", "httpsOnly": False}]
    site = dict(SITE, name="[parameters('sites')[copyIndex()].name]", copy={"name": "loop", "count": "[length(parameters('sites'))]"})
    site["properties"] = {"httpsOnly": "[parameters('sites')[copyIndex()].httpsOnly]"}
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"sites": {"type": "array", "defaultValue": sites}}, "resources": [site]}
    text = json.dumps(template, indent=2)
    (tmp_path / "main.json").write_text(text)
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501", "main.json", cwd=tmp_path).out)
    [finding] = document["findings"]
    lines = text.splitlines()
    element = next(number for number, line in enumerate(lines, 1) if '"httpsOnly": false' in line)
    assert (finding["resource"], finding["line"]) == ("Microsoft.Web/sites/b", element)
    assert [hop["message"] for hop in finding["related"]] == ["selects from parameters('sites') by copyIndex()", "copy loop loop, item 1"]
    # A parameter file's value has no position: the finding stays where the template takes it.
    (tmp_path / "main.parameters.json").write_text(json.dumps({"parameters": {"sites": {"value": sites}}}))
    document = json.loads(cli("scan", "--format", "json", "--select", "IG501", "main.json", cwd=tmp_path).out)
    assert [f["line"] for f in document["findings"]] == [next(n for n, line in enumerate(lines, 1) if "copyIndex()].httpsOnly" in line)]


def test_an_expression_nested_past_the_stack_stops_the_template(cli, tmp_path):
    """It was read as unknown, and the template passed with nothing checked."""
    deep = "not(" * 3000 + "true()" + ")" * 3000
    site = {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "api", "properties": {"httpsOnly": f"[if(true(), false(), {deep})]"}}
    (tmp_path / "azuredeploy.json").write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [site]}))
    run = cli("scan", "--no-cache", "azuredeploy.json", cwd=tmp_path)
    assert run.code == 4 and "IG004 [error] evaluation stopped: expressions and the variables they use nest more than 128 levels deep" in run.out


def _site(name: str, properties: dict) -> dict:
    return {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": name, "properties": {"httpsOnly": True, **properties}}


def _config(name: str, properties: dict) -> dict:
    return {"type": "Microsoft.Web/sites/config", "apiVersion": "2022-09-01", "name": name, "properties": properties}


@pytest.mark.parametrize(("resources", "expected"), [
    # a config named for another site is not the only site's
    ([_site("appA", {"siteConfig": {"minTlsVersion": "1.2"}}), _config("otherApp/web", {"minTlsVersion": "1.0"})], []),
    # Azure's names ignore case
    ([_site("MyApp", {}), _site("Other", {"siteConfig": {"minTlsVersion": "1.2"}}), _config("myapp/web", {"minTlsVersion": "1.0"})],
     [("IG502", "Microsoft.Web/sites/MyApp")]),
    # union merges nested objects
    ([_site("app", {"siteConfig": "[union(createObject('minTlsVersion', '1.0'), createObject('alwaysOn', true()))]"})],
     [("IG502", "Microsoft.Web/sites/app")]),
    ([_site("app", {"siteConfig": {"minTlsVersion": "1.2"}, "x": "[union(createObject('a', createObject('b', 1)), createObject('a', createObject('c', 2)))]"})], []),
])
def test_site_config_is_read_where_azure_reads_it(cli, tmp_path, resources, expected):
    (tmp_path / "azuredeploy.json").write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": resources}))
    run = cli("scan", "--no-cache", "--select", "IG502", "-f", "json", "azuredeploy.json", cwd=tmp_path)
    assert [(f["rule"], f["resource"]) for f in json.loads(run.out)["findings"]] == expected


def test_union_merges_nested_objects():
    from iacguard.evaluators.template_functions import _union

    assert _union({"a": {"b": 1, "c": 1}, "d": 1}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}, "d": 1}


@pytest.mark.parametrize("action", ["Deny", "deny"])
def test_a_default_deny_restricts_the_app_whatever_its_case(cli, tmp_path, action):
    site = _site("app", {"siteConfig": {"ipSecurityRestrictionsDefaultAction": action}, "publicNetworkAccess": "Enabled"})
    (tmp_path / "azuredeploy.json").write_text(json.dumps({"$schema": SCHEMA, "contentVersion": "1.0.0.0", "resources": [site]}))
    assert "IG506" not in cli("scan", "--no-cache", "--select", "IG506", "azuredeploy.json", cwd=tmp_path).out


def test_containers_an_expression_writes_are_checked(cli, tmp_path):
    """`bicep build` writes a parameter's containers as `[parameters('containers')]`:
    they are checked, at the expression, as the Bicep source's are."""
    containers = [{"name": "web", "properties": {"image": "nginx:latest", "resources": {"requests": {"cpu": 1, "memoryInGB": 1}},
                                                 "securityContext": {"privileged": True, "runAsUser": 1000}}}]
    group = {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01", "name": "cg",
             "properties": {"osType": "Linux", "containers": "[parameters('containers')]"}}
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"containers": {"type": "array", "defaultValue": containers}},
                "resources": [group]}
    (tmp_path / "azuredeploy.json").write_text(json.dumps(template, indent=1))
    run = cli("scan", "--no-cache", "--select", "IG101,IG202", "-f", "json", "azuredeploy.json", cwd=tmp_path)
    assert sorted((f["rule"], f["resource"]) for f in json.loads(run.out)["findings"]) == [
        ("IG101", "Microsoft.ContainerInstance/containerGroups/cg/containers/web"),
        ("IG202", "Microsoft.ContainerInstance/containerGroups/cg/containers/web"),
    ]


def test_values_an_expression_writes_are_evaluated_once(cli, tmp_path):
    """An escaped literal (`[[x]`) the expression gives stays the text `[x]`."""
    containers = [{"name": "web", "properties": {"image": "nginx:1.27", "command": ["[[literal]"],
                                                 "environmentVariables": [{"name": "NOTE", "value": "[[x]"}]}}]
    group = {"type": "Microsoft.ContainerInstance/containerGroups", "apiVersion": "2023-05-01", "name": "cg",
             "properties": {"osType": "Linux", "containers": "[parameters('containers')]"}}
    template = {"$schema": SCHEMA, "contentVersion": "1.0.0.0", "parameters": {"containers": {"type": "array", "defaultValue": containers}},
                "resources": [group]}
    (tmp_path / "azuredeploy.json").write_text(json.dumps(template))
    run = cli("scan", "--no-cache", "-v", "azuredeploy.json", cwd=tmp_path)
    assert "malformed template expression" not in run.out


def test_union_joins_arrays_of_objects_without_repeats():
    from iacguard.evaluators.template_functions import _union

    assert _union([{"a": 1}], [{"a": 1}, {"b": [2]}], [{"b": [2]}]) == [{"a": 1}, {"b": [2]}]


def test_comment_marks_in_strings_of_either_quote_are_text():
    """The deployment engine's JSON reader takes single-quoted strings too (a backslash
    escaping as in double quotes): comment marks inside are text."""
    from iacguard.parsers.arm import blank_comments

    text = '{"a": "x\\" // no", "b": \'it\\\'s /* no */\', /* yes */ "c": 1 // yes\n}'
    blanked, comments = blank_comments(text)
    assert [(c.line, c.column, c.text) for c in comments] == [(1, 43, "/* yes */"), (1, 60, "// yes")]
    assert len(blanked) == len(text) and "no" in blanked and "yes" not in blanked
