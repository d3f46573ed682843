"""Suppressions fail closed: one exact grammar (issue item 9), unused suppressions
reported (IG007), and suppressions written in scanned files switched off on demand
(`--no-inline-suppressions`, issue item 10)."""

import json

import pytest

SYNTAX = "iacguard:ignore[-file] [RULE[,RULE...]] [-- REASON]"
MALFORMED = f"malformed suppression, so it suppresses nothing; the syntax is: {SYNTAX}"
ANNOTATION_MALFORMED = "malformed suppression, so it suppresses nothing; the syntax is: iacguard.io/ignore: RULE[,RULE...]"
METADATA_MALFORMED = ('malformed suppression, so it suppresses nothing; the syntax is: '
                      '"iacguard": {"ignore": ["RULE", ...], "reason": "..."}')

# One finding per format, with the suppression comment right above what it must cover; `{comment}` is the whole comment, marks included.
DOCKERFILE = "FROM alpine:3.20\n{comment}\nRUN curl -k https://mirror.internal/install.sh | sh\n"
POD = """\
apiVersion: v1
kind: Pod
metadata: {{name: p, namespace: shop}}
spec:
  containers:
    {comment}
    - name: c
      image: myacr.azurecr.io/c:1.0
      securityContext: {{privileged: true}}
"""
TERRAFORM = """\
{comment}
resource "azurerm_container_group" "tools" {{
  container {{
    name  = "debug"
    image = "myacr.azurecr.io/debug:1.0"
    security {{
      privilege_enabled = true
    }}
  }}
}}
"""
BICEP = """\
{comment}
resource priv 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {{
  name: 'priv'
  properties: {{
    containers: [
      {{
        name: 'debug'
        properties: {{
          image: 'myacr.azurecr.io/debug:1'
          securityContext: {{
            privileged: true
          }}
        }}
      }}
    ]
  }}
}}
"""
def arm(metadata) -> str:
    site = {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "orders", "location": "westeurope",
            "properties": {"httpsOnly": False}}
    if metadata is not None:
        site["metadata"] = metadata
    template = {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0", "resources": [site]}
    return json.dumps(template, indent=2)


ARM = arm(None).replace("{", "{{").replace("}", "}}").replace('"resources": [', '"resources": [\n    {comment}', 1)

# (file name, text, comment marks, rule, line of the comment, its column)
FORMATS = {
    "dockerfile": ("Dockerfile", DOCKERFILE, "# {}", "IG309", 2, 1),
    "yaml": ("pod.yaml", POD, "# {}", "IG202", 6, 5),
    "terraform-hash": ("main.tf", TERRAFORM, "# {}", "IG202", 1, 1),
    "terraform-slashes": ("main.tf", TERRAFORM, "// {}", "IG202", 1, 1),
    "bicep-slashes": ("main.bicep", BICEP, "// {}", "IG202", 1, 1),
    "bicep-block": ("main.bicep", BICEP, "/* {} */", "IG202", 1, 1),
    "arm": ("main.json", ARM, "// {}", "IG501", 5, 5),
}
MALFORMED_FORMS = [
    "iacguard:ignore={rule}",
    "iacguard:ignore: {rule}",
    "iacguard: ignore {rule}",
    "iacguard ignore: {rule}",
    "iacguard-ignore {rule}",
    "ignore (iacguard) {rule}",
    "IACGUARD:IGNORE {rule}",
    "iacguard:ignore {rule}: runs as designed",
    "iacguard:ignore {rule}, IG201",
    "iacguard:ignore {rule} runs as designed",
    "iacguard:ignore {rule} --",
    "iacguard:ignore-file={rule}",
    "reviewed, iacguard:ignore {rule}",
]


def scan(cli, tmp_path, name, text, *args):
    (tmp_path / name).write_text(text)
    run = cli("scan", "--format", "json", *args, name, cwd=tmp_path)
    return run, json.loads(run.out)


def suppressions(document, rule):
    return [(f["line"], f["suppression"]) for f in document["findings"] if f["rule"] == rule]


def warnings(document, code):
    """Warnings only: notes (a suppression without a reason) are for `-v`."""
    return [(w["line"], w["column"], w["message"]) for w in document["warnings"] if w["code"] == code and w["level"] == "warning"]


def test_item9_reproducer_a_typo_no_longer_ignores_every_rule(cli, tmp_path):
    text = ("FROM alpine:3.20\nUSER 10001\nHEALTHCHECK CMD true\n"
            "# iacguard:ignore=IG309 internal mirror uses a self-signed cert\n"
            "RUN curl -k https://mirror.internal/install.sh | sh\n")
    run, document = scan(cli, tmp_path, "Dockerfile", text)
    assert run.code == 1
    assert [(f["rule"], f["line"], f["suppressed"]) for f in document["findings"]] == [("IG302", 5, False), ("IG309", 5, False)]
    assert warnings(document, "IG002") == [(4, 1, MALFORMED)]
    assert document["summary"]["suppressed"] == 0


def test_item9_variant_a_typo_above_a_privileged_container(cli, tmp_path):
    comment = "# iacguard:ignore=IG206 bursts are fine"
    run, document = scan(cli, tmp_path, "pod.yaml", POD.format(comment=comment), "--select", "IG202,IG206,IG207")
    assert run.code == 1 and document["summary"]["suppressed"] == 0
    assert ("IG202", False) in [(f["rule"], f["suppressed"]) for f in document["findings"]]


@pytest.mark.parametrize("form", MALFORMED_FORMS)
@pytest.mark.parametrize("style", FORMATS)
def test_a_malformed_suppression_suppresses_nothing_and_shows_the_syntax(cli, tmp_path, style, form):
    name, template, marks, rule, line, column = FORMATS[style]
    comment = marks.format(form.format(rule=rule))
    run, document = scan(cli, tmp_path, name, template.format(comment=comment), "--select", rule)
    assert [suppression for _, suppression in suppressions(document, rule)] == [None]
    assert warnings(document, "IG002") == [(line, column, MALFORMED)]
    assert run.code == 1


@pytest.mark.parametrize("style", FORMATS)
def test_the_documented_forms_suppress(cli, tmp_path, style):
    name, template, marks, rule, _, _ = FORMATS[style]
    for form, reason in [(f"iacguard:ignore {rule} -- runs as designed", "runs as designed"),
                         (f"iacguard:ignore  IG101,{rule}\t--  reviewed", "reviewed"),
                         (f"iacguard:ignore {rule}", ""),
                         ("iacguard:ignore -- everything here", "everything here"),
                         ("iacguard:ignore", "")]:
        run, document = scan(cli, tmp_path, name, template.format(comment=marks.format(form)), "--select", rule)
        assert [suppression for _, suppression in suppressions(document, rule)] == [{"kind": "inline", "reason": reason}], form
        assert warnings(document, "IG002") == [] and run.code == 0


@pytest.mark.parametrize("name, template", [("main.bicep", BICEP), ("main.tf", TERRAFORM)])
def test_a_block_comment_close_is_never_part_of_the_reason(cli, tmp_path, name, template):
    for comment, reason in [("/* iacguard:ignore IG202 -- privileged on purpose */", "privileged on purpose"),
                            ("/*iacguard:ignore IG202 -- privileged on purpose*/", "privileged on purpose"),
                            ("/* iacguard:ignore IG202 */", "")]:
        _, document = scan(cli, tmp_path, name, template.format(comment=comment), "--select", "IG202")
        assert suppressions(document, "IG202") == [(11 if name == "main.bicep" else 7, {"kind": "inline", "reason": reason})]


def test_a_reason_in_a_multi_line_block_comment_is_one_line(cli, tmp_path):
    comment = "/* iacguard:ignore IG202 -- the debug sidecar\n   needs the host */"
    _, document = scan(cli, tmp_path, "main.bicep", BICEP.format(comment=comment), "--select", "IG202")
    assert suppressions(document, "IG202") == [(12, {"kind": "inline", "reason": "the debug sidecar needs the host"})]


def test_only_a_directive_without_rules_covers_every_rule(cli, tmp_path):
    for comment, suppressed in [("# iacguard:ignore", {"IG302", "IG309"}),
                                ("# iacguard:ignore -- internal mirror", {"IG302", "IG309"}),
                                ("# iacguard:ignore IG309 -- internal mirror", {"IG309"}),
                                ("# iacguard:ignore no-such-rule -- internal mirror", set()),
                                ("# iacguard:ignore IG309,no-such-rule -- internal mirror", {"IG309"})]:
        _, document = scan(cli, tmp_path, "Dockerfile", DOCKERFILE.format(comment=comment), "--select", "IG302,IG309")
        assert {f["rule"] for f in document["findings"] if f["suppressed"]} == suppressed, comment


def test_an_unknown_rule_suppresses_nothing_and_is_warned_about(cli, tmp_path):
    _, document = scan(cli, tmp_path, "Dockerfile", DOCKERFILE.format(comment="# iacguard:ignore legacy -- image"))
    assert document["summary"]["suppressed"] == 0
    assert warnings(document, "IG002") == [(2, 1, "suppression names unknown rule 'legacy'")]


def test_a_comment_that_only_mentions_iacguard_is_not_a_suppression(cli, tmp_path):
    comment = "# scanned by iacguard in CI"
    _, document = scan(cli, tmp_path, "Dockerfile", DOCKERFILE.format(comment=comment))
    assert warnings(document, "IG002") == [] and document["summary"]["suppressed"] == 0


def _annotated_pod(annotation: str) -> str:
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  annotations:\n"
            f"    {annotation}\nspec:\n  containers:\n    - name: c\n      image: myacr.azurecr.io/c:1.0\n"
            "      securityContext: {privileged: true}\n")


# A suppression written where the format's own reader sees text, not a comment: a
# quoted string holding an escaped or doubled quote, a quoted string over several
# lines, a block scalar, a heredoc body (BuildKit's reading of its marker), a shell
# string with C escapes in a RUN step, a Bicep string after a multi-line one that
# ends in a quote, a single-quoted ARM string.
# (file name, text, the rule whose finding must stay unsuppressed)
WRITTEN_AS_TEXT = {
    "yaml-escaped-quote": ("pod.yaml", _annotated_pod('b: "q\\" # iacguard:ignore-file -- reviewed"'), "IG202"),
    "yaml-doubled-quote": ("pod.yaml", _annotated_pod("b: 'it''s # iacguard:ignore-file -- ok'"), "IG202"),
    "yaml-multi-line-quote": ("pod.yaml", _annotated_pod('b: "first\n      # iacguard:ignore-file -- reviewed\n      last"'), "IG202"),
    "yaml-block-scalar": ("pod.yaml", _annotated_pod("b: |\n      # iacguard:ignore-file -- reviewed"), "IG202"),
    "compose-escaped-quote": ("compose.yaml", 'services:\n  web:\n    image: "nginx:1.2\\" # iacguard:ignore-file -- r"\n    privileged: true\n', "IG202"),
    "dockerfile-blank-after-marker": (
        "Dockerfile", "FROM alpine:3.20\nRUN cat << USER > /etc/motd\n# iacguard:ignore-file -- reviewed\nUSER\n"
        "RUN curl -k https://mirror.internal/install.sh | sh\n", "IG309"),
    "dockerfile-quoted-marker-with-a-blank": (
        "Dockerfile", "FROM alpine:3.20\nRUN cat <<\"USER nobody\" > /etc/motd\n# iacguard:ignore-file -- reviewed\nUSER nobody\n"
        "RUN curl -k https://mirror.internal/install.sh | sh\n", "IG309"),
    "dockerfile-c-quoted-shell-string": (
        "Dockerfile", "FROM alpine:3.20\nRUN curl -k https://mirror.internal/install.sh | sh && echo $'it\\'s # iacguard:ignore -- reviewed'\n", "IG309"),
    "bicep-quote-ending-a-multi-line-string": (
        "main.bicep", "var note = '''x'''' + '// iacguard:ignore-file -- reviewed'\n" + BICEP.format(comment=""), "IG202"),
    "arm-single-quoted-string": (
        "main.json", ARM.format(comment="").replace('"contentVersion"', '"metadata": {"note": \'/* iacguard:ignore-file -- reviewed */\'},\n  "contentVersion"'),
        "IG501"),
}


@pytest.mark.parametrize("case", WRITTEN_AS_TEXT)
def test_a_suppression_written_in_text_suppresses_nothing(cli, tmp_path, case):
    """Item 6: what the format's reader takes for text (a reviewer sees data) is no
    comment, whatever it looks like."""
    name, text, rule = WRITTEN_AS_TEXT[case]
    run, document = scan(cli, tmp_path, name, text, "--select", rule)
    assert [suppression for _, suppression in suppressions(document, rule)] == [None], run.out
    assert run.code == 1


WORKLOAD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
  annotations:
    iacguard.io/ignore: {value}
    iacguard.io/ignore-reason: bounded by the namespace quota
spec:
  selector:
    matchLabels: {{app: worker}}
  template:
    metadata:
      labels: {{app: worker}}
    spec:
      containers:
        - name: worker
          image: myacr.azurecr.io/worker:1.0
"""


@pytest.mark.parametrize("value", ['"IG206, IG207"', "IG206;IG207", '""', "", "[IG206, IG207]", "IG206,", "all rules"])
def test_a_malformed_annotation_suppresses_nothing(cli, tmp_path, value):
    _, document = scan(cli, tmp_path, "deploy.yaml", WORKLOAD.format(value=value), "--select", "IG206,IG207")
    assert [(f["rule"], f["suppressed"]) for f in document["findings"]] == [("IG206", False), ("IG207", False)]
    assert warnings(document, "IG002") == [(7, None, ANNOTATION_MALFORMED)]


def test_a_well_formed_annotation_suppresses_the_rules_it_names(cli, tmp_path):
    _, document = scan(cli, tmp_path, "deploy.yaml", WORKLOAD.format(value="IG206,memory-limit-missing"), "--select", "IG206,IG207")
    assert [(f["rule"], f["suppressed"]) for f in document["findings"]] == [("IG206", True), ("IG207", True)]
    assert document["warnings"] == []


@pytest.mark.parametrize("metadata", [
    {"iacguard": {"ignore": "IG501", "reason": "a string once covered every rule"}},
    {"iacguard": {"reason": "no rules named"}},
    {"iacguard": {"ignore": [], "reason": "an empty list"}},
    {"iacguard": {"ignore": ["IG501, IG505"]}},
    {"iacguard": {"ignore": ["IG501"], "reason": 5}},
    {"iacguard": "IG501"},
])
def test_malformed_arm_metadata_suppresses_nothing(cli, tmp_path, metadata):
    _, document = scan(cli, tmp_path, "main.json", arm(metadata), "--select", "IG501")
    assert suppressions(document, "IG501") == [(11, None)]
    assert warnings(document, "IG002") == [(13, None, METADATA_MALFORMED)]


def test_well_formed_arm_metadata_suppresses(cli, tmp_path):
    metadata = {"iacguard": {"ignore": ["app-allows-http"], "reason": "behind the gateway"}}
    _, document = scan(cli, tmp_path, "main.json", arm(metadata), "--select", "IG501")
    assert suppressions(document, "IG501") == [(11, {"kind": "metadata", "reason": "behind the gateway"})]


UNUSED = "FROM alpine\nUSER 10001\n# iacguard:ignore IG304 -- bastion\nEXPOSE 80\n# iacguard:ignore-file IG101 -- pinned by the build\n"


def test_unused_suppressions_are_reported_on_request_and_with_verbose(cli, tmp_path):
    expected = [(3, 1, "unused suppression: no finding of IG304 was suppressed")]
    _, quiet = scan(cli, tmp_path, "Dockerfile", UNUSED)
    assert warnings(quiet, "IG007") == []
    _, asked = scan(cli, tmp_path, "Dockerfile", UNUSED, "--report-unused-suppressions")
    assert warnings(asked, "IG007") == expected
    verbose = cli("scan", "-v", "Dockerfile", cwd=tmp_path)
    assert "Dockerfile:3:1: IG007 [warning] unused suppression: no finding of IG304 was suppressed" in verbose.lines
    assert verbose.code == 0  # a warning never fails the run


def test_a_suppression_of_a_rule_that_did_not_run_is_not_judged(cli, tmp_path):
    _, document = scan(cli, tmp_path, "Dockerfile", UNUSED, "--select", "IG201", "--report-unused-suppressions")
    assert warnings(document, "IG007") == []
    text = "FROM alpine:3.20\n# iacguard:ignore IG304,IG309 -- bastion\nEXPOSE 80\n"
    _, partly_selected = scan(cli, tmp_path, "Dockerfile", text, "--select", "IG304", "--report-unused-suppressions")
    assert warnings(partly_selected, "IG007") == []
    _, all_selected = scan(cli, tmp_path, "Dockerfile", text, "--select", "IG304,IG309", "--report-unused-suppressions")
    assert warnings(all_selected, "IG007") == [(2, 1, "unused suppression: no finding of IG304,IG309 was suppressed")]


def test_a_bare_suppression_is_unused_only_when_it_covered_nothing_and_every_rule_ran(cli, tmp_path):
    """A suppression naming no rule names them all: under `--select` or `--ignore`
    the rules it is there for may not have run."""
    text = "FROM alpine:3.20\nUSER 10001\n# iacguard:ignore -- legacy\nEXPOSE 80\n# iacguard:ignore -- legacy\nEXPOSE 22\n"
    _, document = scan(cli, tmp_path, "Dockerfile", text, "--report-unused-suppressions")
    assert warnings(document, "IG007") == [(3, 1, "unused suppression: it suppressed no finding")]
    for narrower in (["--select", "IG304"], ["--ignore", "IG212"]):
        _, document = scan(cli, tmp_path, "Dockerfile", text, *narrower, "--report-unused-suppressions")
        assert warnings(document, "IG007") == []


def test_unused_annotations_and_metadata_are_reported(cli, tmp_path):
    workload = WORKLOAD.format(value="IG202").replace("image:", "resources: {limits: {cpu: 1, memory: 1Gi}}\n          image:")
    _, document = scan(cli, tmp_path, "deploy.yaml", workload, "--select", "IG202,IG206", "--report-unused-suppressions")
    assert warnings(document, "IG007") == [(7, None, "unused suppression: no finding of IG202 was suppressed")]
    metadata = {"iacguard": {"ignore": ["IG505"], "reason": "identities come later"}}
    used = {"iacguard": {"ignore": ["IG501"], "reason": "behind the gateway"}}
    _, document = scan(cli, tmp_path, "main.json", arm(metadata).replace('"httpsOnly": false', '"httpsOnly": true'),
                       "--select", "IG501,IG505", "--report-unused-suppressions")
    assert warnings(document, "IG007") == []  # IG505 is reported, so the suppression is used
    _, document = scan(cli, tmp_path, "main.json", arm(used).replace('"httpsOnly": false', '"httpsOnly": true'),
                       "--select", "IG501", "--report-unused-suppressions")
    assert warnings(document, "IG007") == [(13, None, "unused suppression: no finding of IG501 was suppressed")]


def test_a_used_suppression_is_not_reported(cli, tmp_path):
    text = "FROM alpine:3.20\nUSER 10001\n# iacguard:ignore IG304 -- bastion\nEXPOSE 22\n"
    _, document = scan(cli, tmp_path, "Dockerfile", text, "--report-unused-suppressions")
    assert warnings(document, "IG007") == [] and document["summary"]["suppressed"] == 1


def test_cached_results_follow_the_suppression_flags(cli, tmp_path, monkeypatch):
    monkeypatch.delenv("IACGUARD_NO_CACHE")
    text = UNUSED.replace("EXPOSE 80", "EXPOSE 22") + "# iacguard:ignore IG309 -- later\nRUN true\n"
    for _ in range(2):  # cold, then warm
        _, plain = scan(cli, tmp_path, "Dockerfile", text)
        _, unused = scan(cli, tmp_path, "Dockerfile", text, "--report-unused-suppressions")
        _, untrusted = scan(cli, tmp_path, "Dockerfile", text, "--no-inline-suppressions")
        assert (warnings(plain, "IG007"), plain["summary"]["suppressed"]) == ([], 2)
        assert warnings(unused, "IG007") == [(6, 1, "unused suppression: no finding of IG309 was suppressed")]
        assert (untrusted["summary"]["suppressed"], untrusted["warnings"]) == (0, [])


def test_item10_reproducer_a_comment_cannot_switch_the_gate_off(cli, tmp_path):
    (tmp_path / "Dockerfile").write_text("# iacguard:ignore-file -- trust me\nFROM alpine:3.20\nUSER root\n")
    assert cli("scan", cwd=tmp_path).code == 0
    run = cli("scan", "--no-inline-suppressions", "--report-unused-suppressions", cwd=tmp_path)
    assert run.lines == [
        "Dockerfile:3:6: IG201 [high] USER root runs the container as root (stage/0)",
        "Found 1 finding (1 high) in 1 file.",
    ]
    assert run.code == 1


@pytest.mark.parametrize("name, text, rule", [
    ("pod.yaml", POD.format(comment="# iacguard:ignore IG202 -- node agent"), "IG202"),
    ("main.tf", TERRAFORM.format(comment="// iacguard:ignore -- debug group"), "IG202"),
    ("main.bicep", BICEP.format(comment="/* iacguard:ignore IG202 -- debug group */"), "IG202"),
    ("deploy.yaml", WORKLOAD.format(value="IG206,IG207"), "IG206"),
    ("main.json", arm({"iacguard": {"ignore": ["IG501"], "reason": "behind the gateway"}}), "IG501"),
])
def test_item10_variant_no_inline_suppressions_covers_comments_annotations_and_metadata(cli, tmp_path, name, text, rule):
    _, trusted = scan(cli, tmp_path, name, text, "--select", rule)
    assert all(f["suppressed"] for f in trusted["findings"]) and trusted["findings"]
    run, untrusted = scan(cli, tmp_path, name, text, "--select", rule, "--no-inline-suppressions")
    assert [f["suppressed"] for f in untrusted["findings"]] == [False] * len(trusted["findings"])
    assert run.code == 1 and untrusted["warnings"] == []


def test_no_inline_suppressions_also_ignores_malformed_ones(cli, tmp_path):
    _, document = scan(cli, tmp_path, "Dockerfile", DOCKERFILE.format(comment="# iacguard:ignore=IG309"), "--no-inline-suppressions")
    assert document["warnings"] == []


def test_a_trailing_comment_of_a_run_step_suppresses_as_in_every_other_format(cli, tmp_path):
    """The shell's own comment: it covers the step; a near miss there is warned about;
    the same text inside quotes is the command's."""
    text = ("FROM alpine:3.20\nUSER 10001\nHEALTHCHECK CMD true\n"
            "RUN apk add --no-cache curl \\\n && curl -k https://mirror.internal/a -o /a # iacguard:ignore IG309 -- self-signed mirror\n"
            "RUN wget --no-check-certificate https://b -O /b # iacguard: ignore IG309\n"
            "RUN echo '# iacguard:ignore IG309 -- text' && curl -k https://c -o /c\n")
    _, document = scan(cli, tmp_path, "Dockerfile", text)
    assert [(f["rule"], f["line"], f["suppressed"]) for f in document["findings"]] == [("IG309", 5, True), ("IG309", 6, False), ("IG309", 7, False)]
    assert warnings(document, "IG002") == [(6, 49, MALFORMED)]
