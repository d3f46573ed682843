"""Bicep: the parser's syntax and positions, expressions, modules, parameter files,
suppressions and diagnostics."""

import json
import os
import re
import shutil
import textwrap

import pytest

from iacguard.errors import ParseError
from iacguard.evaluators.bicep import BicepScope
from iacguard.model import Unknown
from iacguard.parsers.bicep_syntax import Statement, parse
from support import TESTDATA, deadline, refusals, with_modules


def bicep(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


MODERN = bicep("""
    metadata name = 'Everything at once'
    targetScope = 'resourceGroup'
    import { naming } from 'types.bicep'
    import * as shared from 'shared.bicep'
    extension microsoftGraphV1

    @export()
    @description('A user-defined type')
    type site = {
      @minLength(3)
      name: string
      tier: 'Basic' | 'Standard'
      tags: { *: string }?
    }

    type sku =
      | 'Basic'
      | 'Premium'

    @sys.description('A typed parameter with a nullable object type')
    param config site?
    @secure()
    param password string
    param names string[] = ['a', 'b']
    var typed string = 'typed'

    func prefixed(name string) string => 'app-${name}'

    #disable-next-line no-unused-vars
    var lambdas = map(filter(names, n => !empty(n)), (n, i) => '${i}:${n}')
    var safe = config.?tags[?'team'] ?? 'none'
    var asserted = config!.name
    var multi = '''
    line one
    line 'two'
    '''
    var spread = { ...config, extra: true }
    var ternary = empty(names)
      ? 'none'
      : 'some'
    var joined = concat(
      names,
      ['c']
    )
    var single = [1, 2, 3]
    var escaped = 'it\\'s \\${not} ${typed}'

    resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
      name: 'shared'
    }

    resource site 'Microsoft.Web/sites@2022-09-01' = [for (name, index) in names: if (index > 0) {
      name: prefixed(name)
      properties: {
        httpsOnly: true
      }
      dependsOn: [vault]
    }]

    output hosts array = [for i in range(0, 2): site[i].properties.defaultHostName]
    output vaultId string = vault.id
    """)


def test_current_syntax_parses_with_positions():
    parsed = parse(MODERN)
    kinds = [(s.kind, s.name) for s in parsed.statements]
    assert ("param", "config") in kinds and ("var", "typed") in kinds and ("resource", "site") in kinds
    site = next(s for s in parsed.statements if s.name == "site" and s.kind == "resource")
    assert (site.line, site.column, site.target) == (MODERN.splitlines().index(next(line for line in MODERN.splitlines() if line.startswith("resource site"))) + 1, 1, "Microsoft.Web/sites@2022-09-01")
    assert site.value.kind == "for" and site.value.value == ["name", "index"] and site.value.items[1].kind == "if"
    vault = next(s for s in parsed.statements if s.name == "vault")
    assert vault.existing
    comments = [c.text for c in parsed.comments]
    assert comments == []  # pragmas are not comments


def test_a_parameter_of_a_nullable_type_is_optional():
    parsed = parse(bicep("""
        param plain string
        param optional string?
        param items roleAssignmentType[]?
        param shape {
          name: string
        }?
        param choice ('a' | 'b')
        param defaulted string? = 'x'
        param union 'a' | 'b' | null
        param spread 'a'
          | null
        param someNull (string | null)[]
        param inside { name: string | null }
        param named nullish
        param aliased maybe
        param twice alsoMaybe
        param sure definite
        param cycle loop
        type alsoMaybe = maybe
        type maybe = string?
        type definite = string
        type loop = pool
        type pool = loop
        """))
    params = [(s.name, s.nullable) for s in parsed.statements if s.kind == "param"]
    assert params == [
        ("plain", False), ("optional", True), ("items", True), ("shape", True), ("choice", False), ("defaulted", True),
        ("union", True), ("spread", True), ("someNull", False), ("inside", False), ("named", False),
        ("aliased", True), ("twice", True), ("sure", False), ("cycle", False)]


def test_a_long_chain_of_type_aliases_is_followed_once():
    """Each alias is worked out once: a file within the size limit that is one chain
    of aliases parses in linear time (each walked to its end, 50,000 took minutes)."""
    count = 50_000
    text = "".join(f"type t{i} = t{i + 1}\n" for i in range(count)) + f"type t{count} = string?\nparam p t0\nparam q t{count // 2}\n"
    with deadline(10):
        parsed = parse(text)
    assert [(s.name, s.nullable) for s in parsed.statements if s.kind == "param"] == [("p", True), ("q", True)]


def test_quotes_right_after_a_multi_line_string_s_end_are_its_last_characters():
    """As Bicep reads a multi-line string: it may end in quotes (`'''it's''''` is
    `it's'`), and what follows them is code, so a `//` in the next string is text."""
    quotes = "'" * 3
    parsed = parse(f"var a = {quotes}x{quotes}' + '// not a comment'\nvar b = {quotes}{quotes}'\n")
    first, second = parsed.statements
    assert first.value.items[0].value == "x'" and parsed.comments == []
    assert second.value.value == "'"


def test_a_string_s_interpolations_are_parsed_alike_however_they_are_written():
    # `${name}` is read without a parser of its own, the rest (spaces, members,
    # calls) by the expression parser: both give the same nodes, at the name's column.
    parsed = parse("var s = 'a$b\\'c${name}-${ name }-${true}-${null}-${x.y}-${f(1)}'\n")
    parts = parsed.statements[0].value.items
    assert parts[0] == "a$b'c"
    name, spaced, true, null, member, call = parts[1::2]
    assert parts[2::2] == ["-"] * 5
    assert (name.kind, name.value, name.line, name.column, name.end_line) == ("name", "name", 1, 18, 1)
    assert (spaced.kind, spaced.value, spaced.column) == ("name", "name", 27)
    assert (true.kind, true.value, true.column) == ("literal", True, 36)
    assert (null.kind, null.value, null.column) == ("literal", None, 44)
    assert (member.kind, member.value, member.items[0].value) == ("member", "y", "x")
    assert (call.kind, call.value, call.items[0].value) == ("call", "f", 1)


def test_values_of_modern_expressions():
    parsed = parse(MODERN)
    scope = BicepScope(parsed.statements, {"config": {"name": "x", "tags": {"team": "orders"}}})
    values = {s.name: scope.evaluate(s.value) for s in parsed.statements if s.kind == "var"}
    assert values["typed"] == "typed"
    assert values["lambdas"] == ["0:a", "1:b"]
    assert values["safe"] == "orders"
    assert values["asserted"] == "x"
    assert values["multi"] == "line one\nline 'two'\n"
    assert values["spread"] == {"name": "x", "tags": {"team": "orders"}, "extra": True}
    assert values["ternary"] == "some"
    assert values["joined"] == ["a", "b", "c"]
    assert values["single"] == [1, 2, 3]
    assert values["escaped"] == "it's ${not} typed"


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("1 + 2 * 3", 7),
        ("-7 / 2", -3),
        ("-7 % 2", -1),
        ("'A' == 'a'", False),
        ("'A' =~ 'a'", True),
        ("'A' !~ 'a'", False),
        ("true == 1", False),
        ("unknown && false", False),
        ("unknown || true", True),
        ("null ?? 'fallback'", "fallback"),
        ("unknown ? 'same' : 'same'", "same"),
        ("!(1 < 2)", False),
        ("sys.toLower('AB')", "ab"),
        ("az.resourceGroup().location", Unknown),
        ("toUpper(unknown)", Unknown),
        ("unknown ?? 'x'", Unknown),
        ("{a: 1}.?b", None),
        ("{a: 1}.b", Unknown),
        ("[1][?5]", None),
        ("1 / 0", Unknown),
        ("site.properties", Unknown),
        ("x => x", Unknown),
        ("'${unknown}-x'", Unknown),
        ("'${{a: 1}}'", Unknown),
        ("cycle", Unknown),
        ("[for x in [1, 2, 3]: if (x != 2) x * 10]", [10, 30]),
        ("[for (x, i) in ['a', 'b']: '${i}${x}']", ["0a", "1b"]),
        ("[for x in unknownList: x]", Unknown),
        ("[for x in [1, 2]: if (unknown) x]", Unknown),  # the filter cannot be decided
        ("length([for x in unknownList: 1])", Unknown),
        ("map(range(1, 3), n => n * n)", [1, 4, 9]),
        ("filter([1, 2, 3], n => n % 2 == 1)", [1, 3]),
        ("filter([1, 2], n => unknown)", Unknown),
        ("reduce([1, 2, 3], 0, (sum, n) => sum + n)", 6),
        ("sort(['b', 'c', 'a'], (x, y) => x < y)", ["a", "b", "c"]),
        ("groupBy(['ab', 'ac', 'b'], w => substring(w, 0, 1))", {"a": ["ab", "ac"], "b": ["b"]}),
        ("mapValues({a: 1}, v => v + 1)", {"a": 2}),
        ("toObject([{n: 'x', v: 1}], e => e.n, e => e.v)", {"x": 1}),
        ("items({b: 2, a: 1})", [{"key": "a", "value": 1}, {"key": "b", "value": 2}]),
        ("double(21)", 42),
        ("leaky()", Unknown),  # a func sees its arguments only
        ("withDefault", "app-prod"),
        ("sneaky", Unknown),  # a parameter's default sees no variables
        ("'a${null}'", Unknown),  # how null reads in a string is not modelled, never "None"
        ("concat('a', null)", Unknown),
        ("string(null)", Unknown),
    ],
)
def test_expressions(expression, value):
    declarations = ("param unknown bool\nparam unknownList array\nparam env string = 'prod'\nparam withDefault string = 'app-${env}'\n"
                    "param sneaky string = cycle\nvar cycle = cycle\nvar secret = 'x'\n"
                    "func double(n int) int => n * 2\nfunc leaky() string => secret\n")
    parsed = parse(f"{declarations}var probe = {expression}\nresource site 'Microsoft.Web/sites@2022-09-01' = {{\n  name: 'x'\n}}\n")
    probe = next(s for s in parsed.statements if s.name == "probe")
    result = BicepScope(parsed.statements, {}).evaluate(probe.value)
    if value is Unknown:
        assert isinstance(result, Unknown)
    else:
        assert result == value and (type(result) is type(value) or isinstance(value, (list, dict)) and isinstance(result, type(value)))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("param x string = 'open\n", 1, "unterminated string"),
        ("var x = {\n  a: 1\n", 3, "unexpected end of file"),
        ("var x = [\n  1 2\n]\n", 2, "expected a new line or ','"),
        ("resource r 'T@1' = {\n  a: 1 b: 2\n}\n", 2, "expected a new line or ','"),
        ("var x = '''never closed\n", 1, "unterminated multi-line string"),
        ("/* open comment\nvar x = 1\n", 1, "unterminated comment"),
        ("var x = '${1 + }'\n", 1, "expected a value, found '}'"),
        ("var x = 1 ? 2\n", 1, "expected ':'"),
        ("banana x = 1\n", 1, "unknown declaration 'banana'"),
        ("var x = 1 var y = 2\n", 1, "expected a new line"),
        ("var x = 1 ~ 2\n", 1, "unexpected character '~'"),
        ("type t = {\n  a: string\n", 1, "'{' is never closed"),
    ],
)
def test_syntax_errors_name_the_line(text, line, message):
    with pytest.raises(ParseError) as raised:
        parse(text)
    assert raised.value.line == line and message in raised.value.message


def test_spans_cover_decorated_statements_and_properties():
    parsed = parse(bicep("""
        @description('x')
        resource site 'Microsoft.Web/sites@2022-09-01' = {
          name: 'a'
          properties: {
            httpsOnly: false
          }
        }
        """))
    assert parsed.spans[1] == 7 and parsed.spans[4] == 6


def test_nested_resources_are_statements_inside_the_body():
    parsed = parse("resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'a'\n  resource web 'config' = {\n    name: 'web'\n  }\n}\n")
    nested = [p.value for p in parsed.statements[0].value.items if isinstance(p.value, Statement)]
    assert [(n.name, n.target, n.line) for n in nested] == [("web", "config", 3)]


SITE = bicep("""
    param httpsOnly bool = true

    resource site 'Microsoft.Web/sites@2022-09-01' = {
      name: 'orders'
      properties: {
        httpsOnly: httpsOnly
      }
    }
    """)


def scan(cli, folder, *args):
    run = cli("scan", "--format", "json", *args, cwd=folder)
    return run, json.loads(run.out)


def test_parameter_files_beside_the_template_and_given(cli, tmp_path):
    (tmp_path / "main.bicep").write_text(SITE)
    assert scan(cli, tmp_path, "--select", "IG501")[0].code == 0
    (tmp_path / "main.parameters.json").write_text(json.dumps({"parameters": {"httpsOnly": {"value": False}}}))
    run, document = scan(cli, tmp_path, "--select", "IG501")
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("main.bicep", 6)]
    assert document["summary"]["files"] == 1  # the JSON parameter file is not a template
    (tmp_path / "main.parameters.json").unlink()
    (tmp_path / "safe.bicepparam").write_text("using 'main.bicep'\nvar on = true\nparam httpsOnly = on\n")
    (tmp_path / "main.bicepparam").write_text("using 'main.bicep'\nparam httpsOnly = false\n")
    assert scan(cli, tmp_path, "--select", "IG501", "main.bicep")[0].code == 1
    assert scan(cli, tmp_path, "--select", "IG501", "--param-file", "safe.bicepparam", "main.bicep")[0].code == 0



def test_a_bicepparam_file_assigns_only_to_the_template_its_using_names(cli, tmp_path):
    (tmp_path / "main.bicep").write_text(SITE)
    (tmp_path / "other.bicep").write_text(SITE)
    (tmp_path / "main.bicepparam").write_text("using './other.bicep'\nparam httpsOnly = false\n")
    assert scan(cli, tmp_path, "--select", "IG501", "main.bicep")[0].code == 0
    run, document = scan(cli, tmp_path, "--select", "IG501", "--param-file", "main.bicepparam")
    assert [f["path"] for f in document["findings"]] == ["other.bicep"]
    (tmp_path / "main.bicepparam").write_text("using none\nparam httpsOnly = false\n")
    assert scan(cli, tmp_path, "--select", "IG501", "main.bicep")[0].code == 1

def test_modules_are_followed_with_their_inputs(cli, tmp_path):
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "site.bicep").write_text(SITE)
    (tmp_path / "main.bicep").write_text(bicep("""
        module secure 'modules/site.bicep' = {
          name: 'secure'
        }
        module insecure 'modules/site.bicep' = {
          name: 'insecure'
          params: {
            httpsOnly: false
          }
        }
        module skipped 'modules/site.bicep' = if (false) {
          name: 'skipped'
          params: {
            httpsOnly: false
          }
        }
        module remote 'br/public:avm/res/web/site:0.1.0' = {
          name: 'remote'
        }
        module missing 'modules/missing.bicep' = {
          name: 'missing'
        }
        module json 'modules/template.json' = {
          name: 'json'
          params: {
            httpsOnly: false
          }
        }
        module data 'modules/data.json' = {
          name: 'data'
        }
        module text 'modules/readme.txt' = {
          name: 'text'
        }
        """))
    (tmp_path / "modules" / "data.json").write_text("{}")
    (tmp_path / "modules" / "template.json").write_text(json.dumps({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "parameters": {"httpsOnly": {"type": "bool", "defaultValue": True}},
        "resources": [{"type": "Microsoft.Web/sites", "name": "legacy", "properties": {"httpsOnly": "[parameters('httpsOnly')]"}}],
    }, indent=2))
    (tmp_path / "modules" / "loop.bicep").write_text("module self 'loop.bicep' = {\n  name: 'self'\n}\n")
    run, document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")
    # The caller's argument decided httpsOnly for the Bicep module; an ARM template
    # module's findings stay in the template.
    assert [(f["path"], f["line"], f["resource"]) for f in document["findings"]] == [
        ("main.bicep", 7, "module.insecure.Microsoft.Web/sites/orders"),
        ("modules/template.json", 14, "module.json.Microsoft.Web/sites/legacy"),
    ]
    notes = [(w["line"], w["message"]) for w in document["warnings"]]
    assert (16, "module remote: registry module br/public:avm/res/web/site:0.1.0 is not fetched, so its resources are not checked") in notes
    assert (31, "module text: modules/readme.txt is neither a Bicep file nor an ARM template, so its resources are not checked") in notes
    # A local module that cannot be used makes the calling file incomplete.
    assert run.code == 4
    assert [(e["code"], e["message"]) for e in document["errors"]] == [
        ("IG005", "depends on modules/data.json, which was refused: not an ARM template that parses"),
        ("IG005", "depends on modules/missing.bicep, which was refused: cannot read file: No such file or directory"),
    ]
    run, document = scan(cli, tmp_path, "--select", "IG501", "modules/loop.bicep")
    assert [w["message"] for w in document["warnings"]] == ["module self: loop.bicep calls itself in a cycle; not followed"]


def test_a_refused_module_or_import_is_told_at_the_path_that_names_it(cli, tmp_path):
    """A module file (Bicep or ARM) or an imported file that is refused stands at the
    path the scanned file writes; a file that a module's own module or import names,
    at the path of the scanned file's call that leads to it. What no line of the
    scanned file leads to has no line: the parameter file beside it (its `using` is
    its own line)."""
    project = tmp_path / "project"
    (project / "modules").mkdir(parents=True)
    (project / "main.bicep").write_text(bicep("""
        import {suffix} from   '../shared.bicep'
        module gone   'modules/gone.bicep' = {
          name: 'gone'
        }
        module data 'modules/data.json' = {
          name: 'data'
        }
        module inner 'modules/inner.bicep' = {
          name: 'inner'
        }
        """))
    (project / "main.bicepparam").write_bytes(b"using 'main.bicep'\n\0")
    (project / "modules" / "data.json").write_text("{}")
    (project / "modules" / "inner.bicep").write_text("import * as types from '../../types.bicep'\nmodule deeper 'deeper.bicep' = {\n  name: 'deeper'\n}\n")
    for name in ("shared.bicep", "types.bicep"):
        (tmp_path / name).write_text("@export()\nvar suffix = 'x'\n")
    run = cli("scan", "--no-cache", "--root", ".", "--select", "IG501", "main.bicep", cwd=project)
    assert run.code == 4
    assert refusals(run) == [
        "main.bicep: IG005 [error] depends on main.bicepparam, which was refused: binary content, not a text file",
        f"main.bicep:1:24: IG005 [error] depends on {tmp_path / 'shared.bicep'}, which was refused: outside the scan root",
        "main.bicep:2:15: IG005 [error] depends on modules/gone.bicep, which was refused: cannot read file: No such file or directory",
        "main.bicep:5:13: IG005 [error] depends on modules/data.json, which was refused: not an ARM template that parses",
        f"main.bicep:8:14: IG005 [error] depends on {tmp_path / 'types.bicep'}, which was refused: outside the scan root",
        "main.bicep:8:14: IG005 [error] depends on modules/deeper.bicep, which was refused: cannot read file: No such file or directory",
    ]


def test_children_of_existing_and_looped_resources(cli, tmp_path):
    (tmp_path / "main.bicep").write_text(bicep("""
        resource shared 'Microsoft.Web/sites@2022-09-01' existing = {
          name: 'shared'
          resource web 'config' = {
            name: 'web'
            properties: {
              minTlsVersion: '1.0'
            }
          }
        }

        resource site 'Microsoft.Web/sites@2022-09-01' = {
          name: 'orders'
          properties: {
            httpsOnly: true
          }
        }

        resource none 'Microsoft.Web/sites@2022-09-01' = [for name in []: {
          name: name
          properties: {}
        }]

        resource many 'Microsoft.ContainerRegistry/registries@2023-07-01' = [for name in ['a', 'b']: {
          name: name
          properties: {
            adminUserEnabled: name == 'a'
          }
        }]
        """))
    document = scan(cli, tmp_path, "--select", "IG501,IG502,IG701", "main.bicep")[1]
    # The config child belongs to a site deployed elsewhere, not to the only site here;
    # the empty loop creates nothing; the other loop creates one registry per name, and
    # only the first enables the admin user.
    assert [(f["rule"], f["resource"], f["line"]) for f in document["findings"]] == [("IG701", "Microsoft.ContainerRegistry/registries/a", 26)]


def test_suppressions_in_comments(cli, tmp_path):
    (tmp_path / "main.bicep").write_text(bicep("""
        // iacguard:ignore IG501 -- served behind a gateway that only speaks HTTPS
        @description('the site')
        resource site 'Microsoft.Web/sites@2022-09-01' = {
          name: 'orders'
          properties: {
            httpsOnly: false /* iacguard:ignore IG501 -- and again */
          }
        }
        """))
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    assert [(f["line"], f["suppression"]["kind"]) for f in document["findings"]] == [(6, "inline")]


def test_broken_file_is_a_diagnostic_and_others_are_scanned(cli, tmp_path):
    (tmp_path / "broken.bicep").write_text("resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'a'\n  properties: {\n")
    (tmp_path / "main.bicep").write_text(SITE.replace("= true", "= false"))
    run, document = scan(cli, tmp_path, "--select", "IG501")
    assert run.code == 4 and [f["path"] for f in document["findings"]] == ["main.bicep"]
    assert [(e["path"], e["line"]) for e in document["errors"]] == [("broken.bicep", 4)]


def test_module_file_changes_invalidate_the_cached_result(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    (tmp_path / "site.bicep").write_text(SITE)
    (tmp_path / "main.bicep").write_text("module site 'site.bicep' = {\n  name: 'site'\n}\n")
    assert cli("scan", "--select", "IG501", "main.bicep", cwd=tmp_path).code == 0
    (tmp_path / "site.bicep").write_text(SITE.replace("= true", "= false"))
    assert cli("scan", "--select", "IG501", "main.bicep", cwd=tmp_path).code == 1


def test_a_module_file_is_read_once_a_scan_and_counts_for_every_file_that_calls_it(cli, tmp_path, monkeypatch):
    """`ScanContext.read_dependency` remembers what it read: each caller still depends
    on the module (its cached result is dropped when the module changes) and is
    told when the module is refused."""
    from iacguard.formats import ScanContext

    monkeypatch.delenv("IACGUARD_NO_CACHE")
    reads = []
    original = ScanContext._read_text
    monkeypatch.setattr(ScanContext, "_read_text", lambda context, path: reads.append(os.path.basename(path)) or original(context, path))
    module = "param https bool\nresource web 'Microsoft.Web/sites@2022-09-01' = {\n  name: 'web'\n  properties: {\n    httpsOnly: %s\n  }\n}\n"
    (tmp_path / "web.bicep").write_text(module % "https")
    for name in ("one.bicep", "two.bicep"):
        (tmp_path / name).write_text("module web 'web.bicep' = {\n  name: 'web'\n  params: {\n    https: false\n  }\n}\nmodule gone 'gone.bicep' = {\n  name: 'gone'\n}\n")
    files = ("--jobs", "1", "--select", "IG501", "--allow-incomplete", "one.bicep", "two.bicep")
    run, document = scan(cli, tmp_path, *files)
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("one.bicep", 4), ("two.bicep", 4)]
    assert [(e["path"], e["code"]) for e in document["errors"]] == [("one.bicep", "IG005"), ("two.bicep", "IG005")]
    assert sorted(reads) == ["gone.bicep", "web.bicep"]
    (tmp_path / "web.bicep").write_text(module % "true")
    run, document = scan(cli, tmp_path, *files)
    assert document["findings"] == [] and run.code == 0


def test_standard_input(cli, tmp_path):
    run = cli("scan", "--stdin-filename", "main.bicep", "--select", "IG501", "-", cwd=tmp_path, stdin=SITE.replace("= true", "= false"))
    assert run.code == 1 and run.lines[0].startswith("main.bicep:6:")


def test_bicep_fixtures_report_what_their_arm_twins_report():
    """Each Bicep fail fixture declares what the ARM fixture of the same name does, so
    both must give the same findings (a module's resources carry `module.NAME.`; the
    places a finding names, its own and those it passed through, are each format's;
    a looped one, `module.NAME[i].`)."""

    def reports(expected):
        return [re.sub(r"\(module\.\w+(\[\d+\])?\.", "(", re.sub(r" via \S+:\d+(, \S+:\d+)*$", "", line.split(" ", 1)[1])) for line in expected.read_text().splitlines()]

    twins = 0
    for bicep_expected in sorted(TESTDATA.glob("IG*/bicep/*.expected")):
        arm_expected = bicep_expected.parent.parent / "arm" / bicep_expected.name
        assert arm_expected.is_file(), f"{bicep_expected} has no ARM twin"
        assert reports(bicep_expected) == reports(arm_expected), bicep_expected
        twins += 1
    assert twins >= 33  # every Azure rule



MODULES = TESTDATA / "modules" / "bicep"


def test_findings_through_modules_point_at_what_decided_the_value(cli):
    """As for Terraform: the caller's argument (and the line inside an object it
    passes), the parameter's default when the caller leaves it unset, the outermost
    argument of a nested chain; the module's lines follow as related locations."""
    run = cli("scan", "--select", "IG501,IG502,IG503", "main.bicep", cwd=MODULES)
    assert run.lines[:-1] == [
        "main.bicep:4:16: IG501 [high] properties.httpsOnly is false, so the app also serves plain HTTP (module.explicit.Microsoft.Web/sites/orders)"
        " via modules/site.bicep:13, modules/site.bicep:5, modules/site.bicep:1",
        "main.bicep:6:18: IG503 [medium] properties.siteConfig.ftpsState is AllAllowed, so the app accepts plain FTP deployments (module.explicit.Microsoft.Web/sites/orders)"
        " via modules/site.bicep:14, modules/site.bicep:2",
        "main.bicep:18:13: IG501 [high] properties.httpsOnly is false, so the app also serves plain HTTP (module.edge.module.site.Microsoft.Web/sites/orders)"
        " via modules/site.bicep:13, modules/site.bicep:5, modules/site.bicep:1, modules/edge.bicep:6, modules/edge.bicep:1",
        "modules/edge.bicep:8:22: IG502 [high] properties.siteConfig.minTlsVersion is 1.0, so clients can connect with TLS older than 1.2 (module.edge.module.site.Microsoft.Web/sites/orders)"
        " via modules/site.bicep:14, modules/site.bicep:2",
        "modules/site.bicep:1:24: IG501 [high] properties.httpsOnly is false, so the app also serves plain HTTP (module.defaults.Microsoft.Web/sites/orders)"
        " via modules/site.bicep:13, modules/site.bicep:5, main.bicep:11",
    ]
    document = scan(cli, MODULES, "--select", "IG501", "main.bicep")[1]
    assert document["findings"][0]["related"] == [
        {"message": "uses variable secure", "path": "modules/site.bicep", "line": 13, "column": 16},
        {"message": "set by module.explicit in main.bicep", "path": "modules/site.bicep", "line": 5, "column": 14},
        {"message": "module parameter declared here", "path": "modules/site.bicep", "line": 1, "column": 1},
    ]
    assert document["findings"][-1]["related"][1:] == [
        {"message": "the default of parameter httpsOnly applies", "path": "modules/site.bicep", "line": 5, "column": 14},
        {"message": "module.defaults does not set httpsOnly", "path": "main.bicep", "line": 11, "column": 1},
    ]
    sarif = json.loads(cli("scan", "--select", "IG501", "--format", "sarif", "main.bicep", cwd=MODULES).out)
    assert [place["message"]["text"] for place in sarif["runs"][0]["results"][0]["relatedLocations"]] == [
        "uses variable secure", "set by module.explicit in main.bicep", "module parameter declared here",
    ]


def test_a_module_instance_reached_from_two_files_is_reported_once(cli, tmp_path):
    call = "module site 'modules/site.bicep' = {\n  name: 'site'\n}\n"
    with_modules(tmp_path, "bicep", {"dev.bicep": call, "prod.bicep": call})
    document = scan(cli, tmp_path, "--select", "IG501", "dev.bicep", "prod.bicep")[1]
    assert [(f["path"], f["line"], [(r["path"], r["line"]) for r in f["related"]]) for f in document["findings"]] == [
        ("modules/site.bicep", 1, [("modules/site.bicep", 13), ("modules/site.bicep", 5), ("dev.bicep", 1), ("prod.bicep", 1)]),
    ]


VAULT_MODULE = bicep("""
    param name string = 'kv-default'
    param rbac bool = false
    resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
      name: name
      location: 'westeurope'
      properties: {
        tenantId: subscription().tenantId
        sku: {
          family: 'A'
          name: 'standard'
        }
        enableRbacAuthorization: rbac
      }
    }
    """)


def test_a_module_scanned_alone_does_not_repeat_its_callers_finding_under_another_name(cli, monkeypatch, tmp_path):
    """The module judged with its defaults names its vault `kv-default`; its callers
    name it otherwise (directly, in a loop, and through a module that calls it in
    turn). The module's file, and the module between, scanned too, do not report the
    vault once more under the default name, a vault that does not exist. What no
    caller reports (the caller turns RBAC on) is still the module's own, judged
    with its defaults; and a module that nothing calls is checked on its own."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "vault.bicep").write_text(VAULT_MODULE)
    (tmp_path / "modules" / "spare.bicep").write_text(VAULT_MODULE)
    (tmp_path / "modules" / "named.bicep").write_text(bicep("""
        param prefix string = 'dev'
        module kv 'vault.bicep' = {
          name: 'kv'
          params: {
            name: '${prefix}-kv'
            rbac: true
          }
        }
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        module kv './modules/vault.bicep' = {
          name: 'kv'
          params: {
            name: 'kv-prod'
            rbac: true
          }
        }
        module kvs './modules/vault.bicep' = [for stage in ['blue', 'green']: {
          name: 'kv-${stage}'
          params: {
            name: 'kv-${stage}'
            rbac: true
          }
        }]
        module named './modules/named.bicep' = {
          name: 'named'
          params: {
            prefix: 'prod'
          }
        }
        """))
    expected = [
        ("IG901", "modules/spare.bicep", 3, "Microsoft.KeyVault/vaults/kv-default"),
        ("IG903", "modules/spare.bicep", 12, "Microsoft.KeyVault/vaults/kv-default"),
        ("IG901", "modules/vault.bicep", 3, "module.kv.Microsoft.KeyVault/vaults/kv-prod"),
        ("IG901", "modules/vault.bicep", 3, "module.kvs[0].Microsoft.KeyVault/vaults/kv-blue"),
        ("IG901", "modules/vault.bicep", 3, "module.kvs[1].Microsoft.KeyVault/vaults/kv-green"),
        ("IG901", "modules/vault.bicep", 3, "module.named.module.kv.Microsoft.KeyVault/vaults/prod-kv"),
        ("IG903", "modules/vault.bicep", 12, "Microsoft.KeyVault/vaults/kv-default"),
    ]
    monkeypatch.delenv("IACGUARD_NO_CACHE")  # the second scan of the tree reads what the first stored
    for scanned in (".", ".", "modules/vault.bicep"):
        document = scan(cli, tmp_path, "--root", ".", "--select", "IG901,IG903", scanned)[1]
        found = [(f["rule"], f["path"], f["line"], f["resource"]) for f in document["findings"]]
        assert found == [finding for finding in expected if scanned == "." or "spare" not in finding[1]], scanned


def test_a_container_its_module_caller_names_is_reported_once(cli, tmp_path):
    """A container is placed where its name is written, which for a name its caller
    gives is the caller's argument: the module's line that takes the name is still
    where the container is declared, and the module scanned on its own does not
    report `app-default` once more."""
    (tmp_path / "group.bicep").write_text(bicep("""
        param name string = 'app-default'
        resource group 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
          name: 'group'
          location: 'westeurope'
          properties: {
            osType: 'Linux'
            containers: [
              {
                name: name
                properties: {
                  image: 'mcr.microsoft.com/azuredocs/aci-helloworld:1.0'
                }
              }
            ]
          }
        }
        """))
    (tmp_path / "main.bicep").write_text("module group './group.bicep' = {\n  name: 'group'\n  params: {\n    name: 'app-prod'\n  }\n}\n")
    document = scan(cli, tmp_path, "--no-cache", "--select", "IG201", ".")[1]
    assert [(f["path"], f["line"], f["resource"], [(r["path"], r["line"]) for r in f["related"]]) for f in document["findings"]] == [
        ("main.bicep", 4, "module.group.Microsoft.ContainerInstance/containerGroups/group/containers/app-prod", [("group.bicep", 9), ("group.bicep", 1)]),
    ]


def test_a_suppression_at_the_callers_argument_or_the_resource_head_covers_a_finding_through_a_module(cli, tmp_path):
    with_modules(tmp_path, "bicep", {"main.bicep": bicep("""
        module internal 'modules/site.bicep' = {
          name: 'internal'
          params: {
            httpsOnly: false // iacguard:ignore IG501 -- reached through the private gateway only
          }
        }
        module public 'modules/site.bicep' = {
          name: 'public'
          params: {
            httpsOnly: false
          }
        }
        """)})
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    assert [(f["line"], f["suppressed"]) for f in document["findings"]] == [(4, True), (10, False)]
    site = tmp_path / "modules" / "site.bicep"
    site.write_text(site.read_text().replace("resource site", "// iacguard:ignore IG501 -- HTTPS is enforced by the front door\nresource site"))
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    assert [(f["line"], f["suppressed"]) for f in document["findings"]] == [(4, True), (10, True)]


def test_a_value_passed_through_a_condition_counts_as_written_where_the_module_uses_it(cli, tmp_path):
    """Only a use that names the parameter is traced back to the caller; otherwise the
    finding stays at the module's line, as before modules were traced."""
    (tmp_path / "site.bicep").write_text(bicep("""
        param siteConfig object

        resource site 'Microsoft.Web/sites@2022-09-01' = {
          name: 'orders'
          properties: {
            siteConfig: empty(siteConfig) ? {} : siteConfig
          }
        }
        """))
    (tmp_path / "main.bicep").write_text("module site 'site.bicep' = {\n  name: 'site'\n  params: {\n    siteConfig: {\n      minTlsVersion: '1.0'\n    }\n  }\n}\n")
    document = scan(cli, tmp_path, "--select", "IG502", "main.bicep")[1]
    assert [(f["path"], f["line"], f["related"]) for f in document["findings"]] == [("site.bicep", 6, [])]


def test_a_credential_passed_to_a_module_is_reported_where_its_text_is_written(cli, tmp_path):
    """IG214 follows the caller's argument on to the literal it names (here the
    caller's parameter default); other findings stop at the argument."""
    (tmp_path / "modules").mkdir()
    shutil.copy(TESTDATA / "IG214" / "bicep" / "modules" / "database.bicep", tmp_path / "modules")
    (tmp_path / "main.bicep").write_text(bicep("""
        param reportingPassword string = 'Rep0rting-Pass!'

        module reporting 'modules/database.bicep' = {
          name: 'reporting'
          params: {
            password: reportingPassword
          }
        }
        """))
    document = scan(cli, tmp_path, "--select", "IG214", "main.bicep")[1]
    assert [(f["path"], f["line"], [(r["path"], r["line"], r["message"]) for r in f["related"]]) for f in document["findings"]] == [
        ("main.bicep", 1, [
            ("modules/database.bicep", 10, "set by module.reporting in main.bicep"),
            ("modules/database.bicep", 2, "module parameter declared here"),
            ("main.bicep", 6, "the default of parameter reportingPassword applies"),
        ]),
    ]


def test_module_instances_given_the_same_arguments_are_reported_apart(cli, tmp_path):
    """Instances evaluated once (the same arguments, written in the same places) are
    still reported once each, by index; an instance's own argument is located at the
    element of the caller's collection that holds it."""
    (tmp_path / "site.bicep").write_text(bicep("""
        param name string
        param httpsOnly bool = true
        resource app 'Microsoft.Web/sites@2022-09-01' = {
          name: name
          properties: {
            httpsOnly: httpsOnly
          }
        }
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        var secure = [
          true
          false
        ]
        module same 'site.bicep' = [for stage in ['init', 'idem']: {
          name: 'same-${stage}'
          params: {
            name: 'same'
            httpsOnly: false
          }
        }]
        module apart 'site.bicep' = [for (flag, i) in secure: {
          name: 'apart-${i}'
          params: {
            name: 'apart-${i}'
            httpsOnly: flag
          }
        }]
        """))
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    found = [(f["line"], f["resource"]) for f in document["findings"]]
    assert found == [(3, "module.apart[1].Microsoft.Web/sites/apart-1"), (9, "module.same[0].Microsoft.Web/sites/same"),
                     (9, "module.same[1].Microsoft.Web/sites/same")]
    apart = document["findings"][0]
    assert [(hop["path"], hop["line"], hop["message"]) for hop in apart["related"]] == [
        ("site.bicep", 6, "set by module.apart in main.bicep"), ("site.bicep", 2, "module parameter declared here"),
        ("main.bicep", 16, "uses loop item flag"), ("main.bicep", 12, "for loop, item 1"),
    ]


def test_module_instances_are_compared_on_the_arguments_the_module_reads(cli, tmp_path, monkeypatch):
    """An instance given what an earlier one was given, in the arguments the module
    reads, is not evaluated again: its resources are the earlier one's, reported by
    its own index; an argument the module never reads does not set instances apart,
    one it reads does."""
    from iacguard.normalizers import bicep as normalizer

    evaluated = []
    evaluate = normalizer._File.module_file_instance
    monkeypatch.setattr(normalizer._File, "module_file_instance", lambda self, statement, *rest: evaluated.append(statement.name) or evaluate(self, statement, *rest))
    (tmp_path / "site.bicep").write_text(bicep("""
        param name string
        param httpsOnly bool = true
        param tags object = {}
        resource app 'Microsoft.Web/sites@2022-09-01' = {
          name: name
          properties: {
            httpsOnly: httpsOnly
          }
        }
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        module unread 'site.bicep' = [for stage in ['a', 'b', 'c']: {
          name: 'unread-${stage}'
          params: {
            name: 'unread'
            httpsOnly: false
            tags: {
              stage: stage
            }
          }
        }]
        module read 'site.bicep' = [for stage in ['a', 'b']: {
          name: 'read-${stage}'
          params: {
            name: 'read-${stage}'
            httpsOnly: false
          }
        }]
        """))
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    assert evaluated == ["unread", "read", "read"]
    assert [(f["line"], f["resource"]) for f in document["findings"]] == [
        (5, "module.unread[0].Microsoft.Web/sites/unread"), (5, "module.unread[1].Microsoft.Web/sites/unread"),
        (5, "module.unread[2].Microsoft.Web/sites/unread"), (15, "module.read[0].Microsoft.Web/sites/read-a"),
        (15, "module.read[1].Microsoft.Web/sites/read-b"),
    ]


def test_an_optional_parameter_a_caller_leaves_unset_is_null(cli, tmp_path):
    """A module's parameter of a nullable type with no default is null when its
    caller leaves it unset, as Bicep makes it: a property given it is not set, and a
    loop over it `?? []` makes nothing (here, no registry module whose fetch a note
    would mention). How null reads in a string is not modelled: the name it makes
    is unknown (the resource is named by its symbol), never "None". A call whose
    keys cannot all be worked out may set any parameter: those it is not known to
    set stay unknown. Scanned on its own, the file's parameter may be given at
    deployment: unknown, so nothing is said."""
    (tmp_path / "site.bicep").write_text(bicep("""
        param name string
        param httpsOnly bool?
        param replicas string[]?
        param suffix string?
        resource web 'Microsoft.Web/sites@2022-09-01' = {
          name: '${name}${suffix}'
          properties: {
            httpsOnly: httpsOnly
          }
        }
        module copies 'br/public:avm/res/web/site:0.1.0' = [for replica in (replicas ?? []): {
          name: replica
        }]
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        param key string
        module site 'site.bicep' = {
          name: 'site'
          params: {
            name: 'app'
          }
        }
        module computed 'site.bicep' = {
          name: 'computed'
          params: {
            name: 'other'
            '${key}': true
          }
        }
        """))
    document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")[1]
    assert [(f["path"], f["line"], f["resource"]) for f in document["findings"]] == [("site.bicep", 5, "module.site.Microsoft.Web/sites/web")]
    # `site` leaves `replicas` unset: no instance. `computed` may set it: one, unknown.
    assert [(w["line"], w["message"]) for w in document["warnings"]] == [
        (8, "module copies: registry module br/public:avm/res/web/site:0.1.0 is not fetched, so its resources are not checked (in site.bicep)")]
    alone = scan(cli, tmp_path, "--select", "IG501", "--no-dependents", "site.bicep")[1]
    assert alone["findings"] == []
    assert [w["message"] for w in alone["warnings"]] == ["module copies: registry module br/public:avm/res/web/site:0.1.0 is not fetched, so its resources are not checked"]


def test_every_function_evaluated_is_documented():
    from iacguard.evaluators import template_functions

    documented = {name.lower() for name in re.findall(r"`(\w+)`", template_functions.__doc__)}
    assert set(template_functions._FUNCTIONS) <= documented


def test_compile_time_imports_bring_what_a_local_file_exports(cli, tmp_path):
    """Exported variables and functions are evaluated in the file that declares them;
    a registry source is not fetched (a note, once it is used), and a cycle of imports
    is refused with a warning, not followed."""
    (tmp_path / "shared.bicep").write_text(bicep("""
        import { second } from 'main.bicep'
        @export()
        var plainHttp = false
        @export()
        func https(tier string) bool => tier != 'legacy'
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        import * as shared from 'shared.bicep'
        import { options } from 'br/public:avm/utl/types/avm-common-types:0.6.1'
        import { unused } from 'br/public:avm/utl/types/avm-common-types:0.6.1'
        @export()
        var second = shared.plainHttp
        resource one 'Microsoft.Web/sites@2022-09-01' = {
          name: 'one'
          properties: {
            httpsOnly: shared.https('legacy')
          }
        }
        resource two 'Microsoft.Web/sites@2022-09-01' = {
          name: 'two'
          properties: {
            httpsOnly: options.httpsOnly
          }
        }
        """))
    run, document = scan(cli, tmp_path, "--select", "IG501", "main.bicep")
    assert [(f["path"], f["line"]) for f in document["findings"]] == [("main.bicep", 9)]
    assert [(w["path"], w["line"], w["code"], w["message"]) for w in document["warnings"]] == [
        ("main.bicep", 1, "IG003", "import from main.bicep imports this file again, in a cycle; not followed (in shared.bicep)"),
        ("main.bicep", 2, "IG006", "import from br/public:avm/utl/types/avm-common-types:0.6.1 is not read "
                                   "(only local Bicep files are), so the values it brings are not known"),
    ]
    assert run.code == 1


def test_a_changed_file_rechecks_the_files_that_import_it(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    (tmp_path / "shared.bicep").write_text("@export()\nvar https = true\n")
    (tmp_path / "main.bicep").write_text("import {https} from './shared.bicep'\n" + SITE.replace("= true", "= https"))
    assert cli("scan", "--select", "IG501", "main.bicep", cwd=tmp_path).code == 0
    (tmp_path / "shared.bicep").write_text("@export()\nvar https = false\n")
    assert cli("scan", "--select", "IG501", "main.bicep", cwd=tmp_path).code == 1  # the cached result is not used
    run = cli("scan", "--hook", "-v", "--root", ".", "--select", "IG501", "--", "shared.bicep", cwd=tmp_path)
    assert run.code == 1 and "also checking main.bicep: it uses shared.bicep for what it exports" in run.err, run.err


def test_a_file_s_evaluation_leaves_nothing_to_the_cycle_collector(tmp_path):
    """What evaluating a file makes is freed as soon as it is let go. A cycle (an
    import's note kept the reader, which keeps the scopes) left every file's values
    to the collector: 0.2 s of the 3.3 s that the corpus's Bicep files took."""
    import gc

    from iacguard.formats import ScanContext
    from iacguard.normalizers.bicep import normalize
    from iacguard.parsers.bicep import BicepFormat

    (tmp_path / "shared.bicep").write_text("@export()\nvar https = false\n")
    path = tmp_path / "main.bicep"
    path.write_text(bicep("""
        import * as shared from 'shared.bicep'
        import { options } from 'br/public:avm/utl/types/avm-common-types:0.6.1'
        resource one 'Microsoft.Web/sites@2022-09-01' = {
          name: 'one'
          properties: {
            httpsOnly: shared.https
            clientCertEnabled: options.certificates
          }
        }
        """))

    def evaluate() -> int:
        parsed = BicepFormat().parse(path.read_text(), str(path))
        return len(list(normalize(parsed, ScanContext(root=tmp_path))))

    evaluate()  # what is kept across files (the parsed files) is made
    gc.collect()
    gc.disable()
    try:
        assert evaluate() == 1
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_a_module_that_calls_the_scanned_file_back_is_a_cycle(cli, tmp_path):
    """Its resources were declared once more under the module's name before the
    cycle was seen."""
    (tmp_path / "self.bicep").write_text("module me './self.bicep' = { name: 'me' }\n"
                                         "resource site 'Microsoft.Web/sites@2022-03-01' = {\n  name: 'self'\n  properties: { httpsOnly: false }\n}\n")
    run = cli("scan", "--no-cache", "--select", "IG501", "-v", "self.bicep", cwd=tmp_path)
    assert [line for line in run.lines if "IG501" in line] == [
        "self.bicep:4:28: IG501 [high] properties.httpsOnly is false, so the app also serves plain HTTP (Microsoft.Web/sites/self)"]
    assert "self.bicep:1:1: IG003 [warning] module me: ./self.bicep calls itself in a cycle; not followed" in run.out


def test_a_note_about_a_module_s_file_stands_at_the_call_that_leads_to_it(cli, tmp_path):
    """What a module's own file cannot follow (a registry module, a cycle) is told on
    the scanned file, at the path of the module call or import that leads to that
    file, once, at the first."""
    (tmp_path / "modules").mkdir()
    (tmp_path / "modules" / "inner.bicep").write_text(bicep("""
        param name string
        module remote 'br/public:avm/res/web/site:0.1.0' = {
          name: name
        }
        """))
    (tmp_path / "modules" / "outer.bicep").write_text(bicep("""
        module inner 'inner.bicep' = {
          name: 'inner'
          params: {
            name: 'web'
          }
        }
        """))
    (tmp_path / "main.bicep").write_text(bicep("""
        param location string = 'westeurope'

        module first 'modules/outer.bicep' = {
          name: 'first'
        }
        module second 'modules/outer.bicep' = {
          name: 'second'
        }
        """))
    document = scan(cli, tmp_path, "main.bicep")[1]
    message = "module remote: registry module br/public:avm/res/web/site:0.1.0 is not fetched, so its resources are not checked (in modules/inner.bicep)"
    assert [(w["path"], w["line"], w["column"], w["code"], w["message"]) for w in document["warnings"]] == [("main.bicep", 3, 14, "IG006", message)]
