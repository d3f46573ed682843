"""Docker Compose: which files are compose files, how a project is assembled from
its files (override, `.env`, `extends`, `include`), where findings point, and
agreement with `docker-compose config` on the real files of the shared corpus2."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from iacguard.budgets import Budget
from iacguard.evaluators.compose import Project, Variables, dotenv, dotenv_entries
from iacguard.formats import Claim, ScanContext
from iacguard.model import Unknown
from iacguard.parsers.compose import ComposeFormat, _included_projects, inputs_of
from support import ROOT, refusals

CORPUS2 = ROOT.parent / "shared" / "corpus2"
FORMAT = ComposeFormat()


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def scan(cli, folder: Path, *arguments: str):
    return cli("scan", "--isolated", "--no-cache", "--root", ".", *arguments, cwd=folder)


def findings(run) -> list[str]:
    """`path:line:column: CODE` of each finding the text report shows (diagnostics left out)."""
    return [line.split(" [")[0] for line in run.lines if " IG" in line and not line.split(" [")[1].startswith(("error", "warning", "note"))]


@pytest.mark.parametrize("name", ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.prod.yaml", "docker-compose-dev.yml",
                                  "Docker-Compose.YML", "web.compose.yml", "compose.override.yaml"])
def test_compose_names_are_claimed(name):
    assert FORMAT.claim(name) is Claim.YES


@pytest.mark.parametrize(("name", "claim"), [("compose.yaml.bak", Claim.NO), ("docker-compose.json", Claim.NO), ("docker-compose", Claim.NO),
                                             ("mycompose.yaml", Claim.MAYBE), ("compose-web.yml", Claim.MAYBE), ("web.composer.yaml", Claim.MAYBE)])
def test_names_near_a_compose_file_s_are_not_claimed_by_name(name, claim):
    assert FORMAT.claim(name) is claim


def test_other_yaml_is_claimed_only_when_its_services_run_an_image():
    assert FORMAT.claim("stack.yaml") is Claim.MAYBE and FORMAT.claim("Dockerfile") is Claim.NO
    assert FORMAT.sniff("services:\n  web:\n    image: nginx:1.27\n")
    assert FORMAT.sniff("version: '3'\nservices:  # ours\n  app:\n    build: .\n")
    assert not FORMAT.sniff("services:\n  - name: web\n    port: 80\n")  # a list of services of some other tool
    assert not FORMAT.sniff("apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: nginx\n")


@pytest.mark.parametrize(("text", "claimed"), [
    ("services:\n  api:\n    image:\n      repository: ghcr.io/org/api\n      tag: '1.4'\n", False),  # a Helm chart's values
    ("services:\n  api:\n    image: {repository: ghcr.io/org/api}\n", False),
    ("services:\n  api:\n    deploy:\n      image: nginx:1.27\n", False),  # not directly in the service
    ("services:\n  api:\n    ports: [80]\nother:\n  x:\n    image: nginx:1.27\n", False),  # after the services block
    ("services:\n  - name: api\n    image: nginx:1.27\n", False),  # a list of services, some other tool's
    ("services:\n\n  # the API\n  api:\n    ports: [80]\n  web:\n    image: 'nginx:1.27'  # pinned\n", True),
    ("services:\n    api:\n        build:\n            context: .\n", True),
    ("a: 1\n---\nservices:\n  api:\n    image: nginx\n", True),
])
def test_a_file_is_claimed_by_content_only_when_a_service_names_an_image_or_a_build(text, claimed):
    """Compose needs `image:` with a name or `build:` in a service's own body; Helm
    values with `services.api.image.repository` have none."""
    assert FORMAT.sniff(text) is claimed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${SET}", "value"),
        ("$SET-$SET", "value-value"),
        ("${UNSET:-fallback}", "fallback"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${EMPTY-fallback}", ""),
        ("${UNSET-${SET}}", "value"),
        ("${SET:+other}", "other"),
        ("${UNSET:+other}", ""),
        ("$${SET} costs $$5", "${SET} costs $5"),
        ("${SET:?needed}", "value"),
        ("no variables", "no variables"),
        ("${UNSET}", Unknown("${UNSET}")),
        ("pre-$UNSET", Unknown("pre-$UNSET")),
        ("${UNSET:?needed}", Unknown("${UNSET:?needed}")),
        ("${SET", Unknown("${SET")),
    ],
)
def test_interpolation_follows_the_compose_specification(text, expected):
    assert Variables({"SET": "value", "EMPTY": ""}, Budget()).interpolate(text) == expected


def test_dotenv_reads_quotes_comments_and_earlier_variables():
    text = "# comment\nA=1\nexport B='lit $A'\nC=\"x\\ny ${A}\"\nD=plain # trailing\nE=${UNSET}\n"
    assert dotenv(text, Budget()) == {"A": "1", "B": "lit $A", "C": "x\ny 1", "D": "plain", "E": Unknown("${UNSET}")}


def test_dotenv_quoted_values_may_span_lines_and_escapes_are_read_once():
    """Compose reads a quoted value to its closing quote, lines included: `RUNAS` here
    is text of `NOTE`, not a variable; `\\\\n` is a backslash and an `n`."""
    text = 'NOTE="first line\nRUNAS=root\nend" # comment\nA=\'one\ntwo\'\nB="x\\\\ny \\n z"\nC=after\n'
    entries = dotenv_entries(text, Budget())
    assert entries == [("NOTE", "first line\nRUNAS=root\nend", 1), ("A", "one\ntwo", 4), ("B", "x\\ny \n z", 6), ("C", "after", 7)]


def test_a_variable_the_env_file_sets_to_an_unknown_value_is_unknown_not_unset():
    """`.env` says `PRIVILEGED=${FROM_CI}`: the variable is set, to what the scan
    cannot know, so neither its default nor its alternative is taken."""
    variables = Variables(dotenv("PRIVILEGED=${FROM_CI}\nMODE=${PRIVILEGED:-x}\n", Budget()), Budget())
    for text in ("${PRIVILEGED:-true}", "${PRIVILEGED-true}", "${PRIVILEGED:+on}", "${MODE}", "$PRIVILEGED"):
        assert isinstance(variables.interpolate(text), Unknown), text


def test_hostile_sizes_are_read_in_linear_time():
    """A `.env` line of blanks, and an override that merges a list of thousands of
    items over another: each took minutes (a backtracking pattern, a scan of the
    merged list for every item)."""
    from iacguard.evaluators.compose import merged
    from iacguard.parsers import yaml as positional_yaml

    started = time.monotonic()
    assert dotenv("A=x" + " " * 200_000 + "y\n", Budget())["A"] == "x" + " " * 200_000 + "y"
    items = "".join(f"  - item{i}\n" for i in range(20_000))
    base, override = (positional_yaml.load("dns:\n" + items.replace("item", prefix)).documents[0].root for prefix in ("a", "b"))
    assert len(merged(base, override, None, Budget())["dns"]) == 40_000
    assert time.monotonic() - started < 10


def test_the_env_file_beside_wins_over_defaults_and_the_scanning_machine_is_never_asked(cli, tmp_path, monkeypatch):
    """A value the `.env` gives decides; a variable only the environment of the scan
    could set is unknown, and nothing of that environment reaches the report."""
    monkeypatch.setenv("FROM_CI", "ci-secret-value-123")
    monkeypatch.setenv("IMAGE_TAG", "latest")
    write(tmp_path, {
        ".env": "PRIVILEGED=true\n",
        "compose.yaml": "services:\n  app:\n    image: nginx:${IMAGE_TAG:-1.27}\n    privileged: ${PRIVILEGED:-false}\n"
                        "    environment:\n      DB_PASSWORD: ${FROM_CI}\n",
    })
    run = scan(cli, tmp_path, "--select", "IG101,IG202,IG210", "-f", "json", ".")
    assert [(f["rule"], f["path"], f["line"]) for f in json.loads(run.out)["findings"]] == [("IG202", ".env", 1)]
    assert "ci-secret-value-123" not in run.out + run.err


def test_a_value_the_env_file_gives_whole_points_at_its_line(cli, tmp_path):
    """As an `env_file`'s variable does: the `.env` line wrote the value, and the line
    that uses it is a related location. A value that adds text of its own
    (`nginx:${TAG}`) stays where the compose file writes it; so does a default."""
    write(tmp_path, {
        ".env": "TAG=latest\nUID=0\nTOKEN=example-abcd1234efgh5678\n",
        "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    user: \"${UID}\"\n    environment:\n      API_TOKEN: ${TOKEN}\n"
                        "  worker:\n    image: nginx:1.27\n    user: ${NOBODY:-root}\n    environment:\n      - WORKER_TOKEN=${TOKEN:?needed}\n",
    })
    run = scan(cli, tmp_path, "--select", "IG101,IG201,IG210", "-f", "json", ".")
    assert [(f["rule"], f["path"], f["line"], [(r["path"], r["line"], r["message"]) for r in f["related"]]) for f in json.loads(run.out)["findings"]] == [
        ("IG201", ".env", 2, [("compose.yaml", 4, "uses variable UID")]),
        ("IG210", ".env", 3, [("compose.yaml", 6, "uses variable TOKEN")]),
        ("IG210", ".env", 3, [("compose.yaml", 11, "uses variable TOKEN")]),
        ("IG101", "compose.yaml", 3, []),
        ("IG201", "compose.yaml", 9, []),
    ]


def test_an_override_is_merged_and_never_a_project_alone(cli, tmp_path):
    write(tmp_path, {
        "compose.yaml": "services:\n  app:\n    image: nginx:1.27\n    cap_add: [CHOWN]\n",
        "compose.override.yaml": "services:\n  app:\n    privileged: true  # iacguard:ignore IG202 -- a lab machine\n    cap_add: [SYS_ADMIN]\n"
                                 "  tools:\n    image: busybox:1.36\n    cap_add: [NET_ADMIN]\n",
    })
    run = scan(cli, tmp_path, "--select", "IG202,IG205", "-f", "json", ".")
    document = json.loads(run.out)
    assert document["summary"]["files"] == 2
    assert [(f["path"], f["line"], f["rule"], bool(f["suppressed"])) for f in document["findings"]] == [
        ("compose.override.yaml", 3, "IG202", True),
        ("compose.override.yaml", 4, "IG205", False),
        ("compose.override.yaml", 7, "IG205", False),
    ]
    alone = scan(cli, tmp_path, "--select", "IG202,IG205", "--no-dependents", "-v", "compose.override.yaml")
    assert alone.code == 1 and "also checking compose.yaml" in alone.err  # checked through its base, never alone


def test_a_service_without_image_or_build_is_a_fragment_checked_only_where_it_is_merged(cli, tmp_path):
    """`docker-compose.prod.yml` adding `restart: always` is merged with `-f` over the
    file that gives the image; alone, Compose refuses it. The same text as the
    override file of a default name is merged and checked."""
    fragment = "services:\n  web:\n    restart: always\n    cap_add: [SYS_ADMIN]\n"
    write(tmp_path, {"docker-compose.yml": "services:\n  web:\n    image: nginx:1.27\n", "docker-compose.prod.yml": fragment})
    run = scan(cli, tmp_path, "--select", "IG205,IG207", "-v", ".")
    assert findings(run) == ["docker-compose.yml:2:3: IG207"]  # the base file alone
    assert "docker-compose.prod.yml:2:3: IG003 [note] services/web sets neither image nor build" in run.out
    (tmp_path / "docker-compose.prod.yml").rename(tmp_path / "docker-compose.override.yml")
    run = scan(cli, tmp_path, "--select", "IG205,IG207", "-v", ".")
    assert findings(run) == ["docker-compose.override.yml:4:15: IG205", "docker-compose.yml:2:3: IG207"]
    assert "IG003" not in run.out


def test_reset_and_override_tags_act_on_what_the_bases_give(cli, tmp_path):
    """`!reset` drops what the files before and the extended service give, `!override`
    replaces it; as in `docker compose`, a file's `extends` is applied within the file
    before the override file is merged, so `worker` keeps what `app` had there."""
    write(tmp_path, {
        "compose.yaml": "services:\n  app:\n    image: nginx:1.27\n    privileged: true\n    cap_add: [SYS_ADMIN]\n"
                        "    security_opt: [seccomp:unconfined]\n  worker:\n    extends: app\n    cap_add: !reset []\n",
        "compose.override.yaml": "services:\n  app:\n    privileged: !reset null\n    security_opt: !override [no-new-privileges]\n"
                                 "  worker:\n    cap_add: [NET_ADMIN]\n",
    })
    run = scan(cli, tmp_path, "--select", "IG202,IG205,IG211", ".")
    assert findings(run) == [
        "compose.override.yaml:6:15: IG205",  # worker: NET_ADMIN only, SYS_ADMIN was reset
        "compose.yaml:4:17: IG202",  # worker keeps what app had in compose.yaml
        "compose.yaml:5:15: IG205",  # app
        "compose.yaml:6:20: IG211",  # worker
    ]
    assert "with full control of its host (services/worker)" in run.out


def test_a_remote_build_context_is_never_fetched_and_a_note_says_so(cli, tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    build: https://github.com/example/app.git#main\n"
                                     "  worker:\n    build:\n      context: github.com/example/worker\n"})
    run = scan(cli, tmp_path, "--select", "IG201", "-v", ".")
    assert run.code == 0 and findings(run) == []
    assert [line.split(" [")[0] for line in run.lines if "IG006" in line] == ["compose.yaml:3:12: IG006", "compose.yaml:6:16: IG006"]


def test_a_remote_include_or_extends_file_is_never_fetched_and_a_note_says_so(cli, tmp_path):
    """As a remote build context: no local path is made of the address (that was
    refused, IG005, and the file incomplete); what the remote file would give is
    not known, so the extending service's own settings alone are judged."""
    text = ("include:\n  - oci://docker.io/example/stack:1.0\n  - path: [https://github.com/example/repo.git#main:compose.yaml]\n"
            "services:\n  app:\n    extends:\n      file: https://github.com/example/base.git#main:base.yaml\n      service: base\n"
            "    user: root\n")
    write(tmp_path, {"compose.yaml": text})
    run = scan(cli, tmp_path, "--select", "IG201,IG204", "-v", ".")
    assert run.code == 1 and "IG005" not in run.out
    assert findings(run) == ["compose.yaml:9:11: IG201"]
    assert [line.split(" [")[0] for line in run.lines if "IG006" in line] == ["compose.yaml:2:5: IG006", "compose.yaml:3:5: IG006", "compose.yaml:7:13: IG006"]
    assert inputs_of(tmp_path / "compose.yaml", text) == []


def test_an_included_project_takes_the_including_project_s_variables_then_every_env_file(cli, tmp_path):
    """compose-go `ApplyInclude`: the including project's variables win over those
    of the included project's `.env` or of the include's `env_file`s, which are all
    read, a later file winning (only the first was read)."""
    write(tmp_path, {
        ".env": "DB_PRIV=true\n",
        "compose.yaml": "include:\n  - path: db/compose.yaml\n    env_file: [db/base.env, db/prod.env]\n  - cache/compose.yaml\n",
        "db/compose.yaml": "services:\n  db:\n    image: postgres:${PG_TAG:-16}\n    privileged: ${DB_PRIV:-false}\n",
        "db/base.env": "PG_TAG=16\nDB_PRIV=false\n",
        "db/prod.env": "PG_TAG=latest\n",
        "cache/compose.yaml": "services:\n  cache:\n    image: redis:7.4\n    privileged: ${DB_PRIV:-false}\n",
        "cache/.env": "DB_PRIV=false\n",
    })
    run = scan(cli, tmp_path, "--select", "IG101,IG202", "compose.yaml")
    assert findings(run) == [".env:1:1: IG202", ".env:1:1: IG202", "db/compose.yaml:3:12: IG101"]


def test_each_file_s_includes_are_imported_before_the_files_merge(cli, tmp_path):
    """compose-go's loader imports a file's `include`s into that file, then merges
    the files: an override file that changes an included service adds to it (the
    override was taken for the whole service and the included one dropped), and a
    service the including file defines too is merged over the included one, and may
    extend it."""
    write(tmp_path, {
        "compose.yaml": "include:\n  - db/compose.yaml\nservices:\n  cache:\n    cap_drop: [ALL]\n  worker:\n    extends: db\n    user: \"999\"\n",
        "compose.override.yaml": "services:\n  db:\n    ports: [\"5432:5432\"]\n",
        "db/compose.yaml": "services:\n  db:\n    image: postgres:16.4\n    user: \"999\"\n    volumes: [/var/run/docker.sock:/var/run/docker.sock]\n"
                           "  cache:\n    image: redis:7.4\n    cap_add: [SYS_ADMIN]\n",
    })
    run = scan(cli, tmp_path, "--select", "IG204,IG205,IG402,IG408", "-f", "json", "compose.yaml")
    assert [(f["path"], f["line"], f["rule"], f["resource"]) for f in json.loads(run.out)["findings"]] == [
        ("compose.override.yaml", 3, "IG408", "services/db"),
        ("compose.yaml", 6, "IG204", "services/worker"),
        ("db/compose.yaml", 2, "IG204", "services/db"),  # at the head of the service in the file that defines it
        ("db/compose.yaml", 5, "IG402", "services/db"),
        ("db/compose.yaml", 5, "IG402", "services/worker"),
        ("db/compose.yaml", 8, "IG205", "services/cache"),
    ]


_HEADS = {
    "override": ({
        "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    read_only: true\n  api:\n    image: nginx:1.27\n",
        "compose.override.yaml": "services:\n  web:\n    environment:\n      MODE: dev\n    privileged: true\n  tools:\n    image: busybox:1.36\n"
                                 "  api: !override\n    image: httpd:2.4\n",
    }, [
        "compose.override.yaml:5:17: IG202 (services/web)",  # a value the override writes: its line
        "compose.override.yaml:6:3: IG203 (services/tools)",  # defined only there
        "compose.override.yaml:8:3: IG203 (services/api)",  # replaced whole there: the base's definition is dropped
        "compose.yaml:2:3: IG203 (services/web)",
    ]),
    "extends": ({
        "compose.yaml": "services:\n  base:\n    image: nginx:1.27\n  web:\n    extends: base\n    read_only: true\n"
                        "  other:\n    extends: {file: common.yaml, service: common}\n",
        "common.yaml": "services:\n  common:\n    image: redis:7.4\n    cap_add: [SYS_ADMIN]\n",
        "compose.override.yaml": "services:\n  web:\n    environment: [MODE=dev]\n  other:\n    privileged: true\n",
    }, [
        "common.yaml:4:15: IG205 (services/other)",  # a value the extended file writes: its line
        "compose.override.yaml:5:17: IG202 (services/other)",
        "compose.yaml:2:3: IG203 (services/base)",
        "compose.yaml:4:3: IG203 (services/web)",  # the extending service's own head
        "compose.yaml:7:3: IG203 (services/other)",
    ]),
    "include": ({
        "compose.yaml": "include:\n  - db/compose.yaml\n  - path: [cache/compose.yaml, cache/local.yaml]\nservices:\n  db:\n    read_only: true\n",
        "compose.override.yaml": "services:\n  db:\n    ports: [\"127.0.0.1:5432:5432\"]\n  cache:\n    privileged: true\n",
        "db/compose.yaml": "services:\n  db:\n    image: postgres:16.4\n    volumes: [../shared:/data]\n",
        "cache/compose.yaml": "services:\n  cache:\n    image: redis:7.4\n",
        "cache/local.yaml": "services:\n  cache:\n    environment: [MODE=dev]\n",
    }, [
        "cache/compose.yaml:2:3: IG203 (services/cache)",  # the include's first file, not the one merged over it
        "compose.override.yaml:5:17: IG202 (services/cache)",
        "db/compose.yaml:2:3: IG203 (services/db)",  # neither the including file nor its override
        "db/compose.yaml:4:15: IG402 (services/db)",  # out of the included project's folder, which the override does not change
    ]),
}


@pytest.mark.parametrize("case", list(_HEADS))
def test_a_setting_no_file_writes_is_reported_at_the_head_of_the_service_in_the_first_file_that_defines_it(cli, tmp_path, case):
    """A setting no file writes (`no-new-privileges` here) is reported where the
    service is first defined, the base under an override file, the first file of an
    include, the included file under the file that includes it, and the extending
    service itself: an override file that adds to a service (often a developer's own
    `compose.override.yaml`) does not decide where a finding about it stands, nor
    which suppression or baseline covers it, nor the project folder a bind mount is
    judged against. A value the override writes stays on its line, and a service
    only the override defines, or replaces whole, at its head there."""
    files, expected = _HEADS[case]
    run = scan(cli, write(tmp_path, files), "--select", "IG202,IG203,IG205,IG402", "compose.yaml")
    assert [line.split(" [")[0] + " " + line.rsplit(" ", 1)[-1] for line in run.lines if " IG" in line and " [" in line] == expected


def test_every_document_of_a_file_is_merged_in_order_and_an_empty_one_is_nothing(cli, tmp_path):
    """compose-go's loader merges a file's documents in order, as it merges files
    (only the first was read); a file of no document, such as an override file of
    comments only, adds nothing (it made the project empty)."""
    write(tmp_path, {
        "compose.yaml": "services:\n  a:\n    image: nginx:1.27\n---\n---\nservices:\n  a:\n    privileged: true\n    env_file: a.env\n",
        "compose.override.yaml": "# nothing yet\n",
        "a.env": "API_TOKEN=example-abcd1234efgh5678\n",
    })
    run = scan(cli, tmp_path, "--select", "IG202,IG210", "compose.yaml")
    assert findings(run) == ["a.env:1:1: IG210", "compose.yaml:8:17: IG202"]
    assert inputs_of(tmp_path / "compose.yaml", (tmp_path / "compose.yaml").read_text()) == [tmp_path / "compose.override.yaml", tmp_path / "a.env"]


def test_findings_point_into_the_file_that_wrote_the_value(cli, tmp_path):
    write(tmp_path, {
        "compose.yaml": "include:\n  - infra/compose.yaml\nservices:\n  app:\n    extends:\n      file: base/common.yml\n      service: base\n"
                        "    image: nginx:1.27\n",
        "base/common.yml": "services:\n  base:\n    user: root\n",
        "infra/compose.yaml": "services:\n  db:\n    image: postgres:16\n    user: \"0\"\n",
    })
    run = scan(cli, tmp_path, "--select", "IG201", "compose.yaml")
    assert findings(run) == ["base/common.yml:3:11: IG201", "infra/compose.yaml:4:11: IG201"]
    assert "user: root runs" not in run.out and "user: 0 runs the container as root (services/app)" in run.out


def test_an_unreadable_base_or_a_cycle_leaves_what_it_would_set_unknown(cli, tmp_path):
    write(tmp_path, {
        "compose.yaml": "include: [compose.yaml]\nservices:\n  app:\n    extends: {file: missing.yml, service: base}\n"
                        "  loop:\n    extends: loop\n    image: nginx:1.27\n  plain:\n    image: nginx:1.27\n",
    })
    run = scan(cli, tmp_path, "--select", "IG204,IG209", ".")
    assert run.code == 4 and "depends on missing.yml, which was refused" in run.out
    assert findings(run) == ["compose.yaml:8:3: IG204", "compose.yaml:8:3: IG209"]  # `plain` only
    assert "includes itself again" in run.out


def test_a_refused_env_file_or_dockerfile_is_told_where_the_scanned_file_names_it(cli, tmp_path):
    """An `env_file` (a service's, an include's) and a Dockerfile (named by
    `dockerfile`, else by the build context) stand at the entry that names them.
    The project's `.env` and what another file of the project names (a base
    service's `env_file`) have no line: no line of the scanned file names them."""
    project = write(tmp_path / "project", {
        "compose.yaml": "include:\n  - path: db/compose.yaml\n    env_file: [db/missing.env]\n"
                        "services:\n  web:\n    build: web\n    env_file: ../secrets.env\n"
                        "  api:\n    build:\n      context: api\n      dockerfile:   Broken.Dockerfile\n"
                        "    env_file:\n      - path: missing.env\n      - path: optional.env\n        required: false\n"
                        "  app:\n    extends: {file: base.yaml, service: base}\n",
        "db/compose.yaml": "services:\n  db:\n    image: postgres:16\n",
        "api/Broken.Dockerfile": "FROM\n",
        "base.yaml": "services:\n  base:\n    image: nginx:1.27\n    env_file: base.env\n",
        ".env": "TAG=\0\n",
    })
    write(tmp_path, {"secrets.env": "TOKEN=1\n", "Dockerfile": "FROM nginx:1.27\n"})
    (project / "web").mkdir()
    (project / "web" / "Dockerfile").symlink_to(tmp_path / "Dockerfile")
    run = scan(cli, project, "--select", "IG201", "compose.yaml")
    assert run.code == 4
    assert refusals(run) == [
        "compose.yaml: IG005 [error] depends on .env, which was refused: binary content, not a text file",
        "compose.yaml: IG005 [error] depends on base.env, which was refused: cannot read file: No such file or directory",
        "compose.yaml:3:16: IG005 [error] depends on db/missing.env, which was refused: cannot read file: No such file or directory",
        "compose.yaml:6:12: IG005 [error] depends on web/Dockerfile, which was refused: outside the scan root",
        f"compose.yaml:7:15: IG005 [error] depends on {tmp_path / 'secrets.env'}, which was refused: outside the scan root",
        "compose.yaml:11:21: IG005 [error] depends on api/Broken.Dockerfile, which was refused: not a valid Dockerfile: FROM without an image",
        "compose.yaml:13:15: IG005 [error] depends on missing.env, which was refused: cannot read file: No such file or directory",
    ]


def test_a_file_taken_for_compose_by_its_content_is_never_incomplete(cli, tmp_path):
    write(tmp_path, {"stack.yml": "services:\n  app:\n    image: nginx:1.27\n    env_file: missing.env\n    privileged: true\n"})
    run = scan(cli, tmp_path, "--select", "IG202", ".")
    assert run.code == 1 and findings(run) == ["stack.yml:5:17: IG202"]
    (tmp_path / "stack.yml").rename(tmp_path / "compose.yaml")
    assert scan(cli, tmp_path, "--select", "IG202", ".").code == 4


def test_the_inputs_listed_for_dependents_are_what_a_scan_reads(tmp_path):
    from iacguard.normalizers.compose import normalize

    files = {
        "compose.yaml": "include:\n  - path: other/compose.yaml\n    env_file: other/vars.env\nservices:\n  app:\n    image: nginx:1.27\n"
                        "    env_file: [app.env, {path: extra.env, required: false}]\n  worker:\n    extends: {file: base.yml, service: b}\n"
                        "  web:\n    build: {context: web, dockerfile: web.Dockerfile}\n",
        "compose.override.yml": "services: {}\n", ".env": "A=1\n", "app.env": "B=2\n", "base.yml": "services:\n  b: {}\n",
        "other/compose.yaml": "services:\n  db:\n    image: postgres:16\n", "other/vars.env": "", "web/web.Dockerfile": "FROM nginx:1.27\n",
    }
    write(tmp_path, files)
    path = tmp_path / "compose.yaml"
    parsed = FORMAT.parse(path.read_text(), str(path))
    context = ScanContext(root=tmp_path)
    context.start_file()
    list(normalize(parsed, context))
    assert {Path(p) for p in context.dependencies} == set(inputs_of(path, path.read_text()))


def test_every_report_format_carries_compose_findings(cli, tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  app:\n    image: nginx:1.27\n", "compose.override.yaml": "services:\n  app:\n    privileged: true\n"})
    sarif = json.loads(scan(cli, tmp_path, "--select", "IG202", "-f", "sarif", ".").out)
    result, = sarif["runs"][0]["results"]
    assert result["ruleId"] == "IG202"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("compose.override.yaml")
    for output in ("github", "text", "json"):
        assert "compose.override.yaml" in scan(cli, tmp_path, "--select", "IG202", "-f", output, ".").out
    assert 'classname="compose.yaml.services/app" name="IG202' in scan(cli, tmp_path, "--select", "IG202", "-f", "junit", ".").out


def corpus2_compose_files() -> list[Path]:
    manifest = [line.split("\t") for line in (CORPUS2 / "MANIFEST.tsv").read_text().splitlines()[1:]]
    return [CORPUS2 / path for tag, _, path in manifest if tag == "compose"]


@pytest.mark.skipif(not CORPUS2.is_dir(), reason="the shared corpus2 is not beside the repository")
def test_every_compose_file_of_corpus2_is_read_whole(cli, tmp_path):
    files = corpus2_compose_files()
    assert len(files) >= 40
    report = tmp_path / "report.json"
    run = cli("scan", "--no-cache", "--isolated", "-f", "json", "-o", str(report), *(str(path.relative_to(CORPUS2)) for path in files), cwd=CORPUS2)
    assert "Traceback" not in run.err
    document = json.loads(report.read_text())
    assert document["summary"]["files"] == len(files)
    assert document["errors"] == [] and [d for d in document["warnings"] if d["code"] != "IG002"] == []
    scanned = {finding["path"] for finding in document["findings"]}
    assert len(scanned) >= 35  # nearly every project has something to say


def docker_compose_config(path: Path) -> dict | None:
    """What Compose v1 (Debian's `docker-compose`) makes of a file, run without a
    daemon and with an empty environment; None when it rejects the file."""
    done = subprocess.run(["docker-compose", "-f", path.name, "config"], cwd=path.parent, capture_output=True, text=True,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, timeout=60)
    return yaml.safe_load(done.stdout) if done.returncode == 0 else None


FIELDS = ("image", "user", "privileged", "read_only", "cap_add", "cap_drop", "security_opt", "network_mode", "pid", "ipc")


def iacguard_view(service) -> dict:
    """The fields compared, as iacguard reads them (Unknown left out: v1 makes an unset variable empty)."""
    body = service.body
    view = {key: body[key] for key in FIELDS if key in body and not isinstance(body[key], Unknown)}
    for key in ("privileged", "read_only"):
        if isinstance(view.get(key), str):
            view[key] = view[key].lower() in ("true", "yes", "y", "on")
    return view


def one_by_one(spec: str) -> list[str]:
    """A published `PORT[-PORT][/PROTOCOL]` as the entries Compose v1 lists, one per port."""
    ports, slash, protocol = spec.partition("/")
    low, _, high = ports.partition("-")
    return [f"{port}{slash}{protocol}" for port in range(int(low), int(high or low) + 1)]


@pytest.mark.skipif(not CORPUS2.is_dir(), reason="the shared corpus2 is not beside the repository")
@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Compose v1 is not installed (apt-get install docker-compose)")
def test_services_agree_with_docker_compose_config_on_corpus2():
    from iacguard.normalizers.compose import normalize

    compared = 0
    for path in corpus2_compose_files():
        text = path.read_text()
        if "include:" in text:
            continue
        oracle = docker_compose_config(path)
        if oracle is None:  # v1 does not know every field of the current specification
            continue
        parsed = FORMAT.parse(text, str(path))
        context = ScanContext(root=CORPUS2)
        context.start_file()
        services = {service.name: service for service in Project(parsed, context).services()}
        assert set(services) == set(oracle["services"]), path
        containers = {r.address.split("/", 1)[1]: r for r in normalize(parsed, context) if r.kind == "container"}
        for name, expected in oracle["services"].items():
            ours = iacguard_view(services[name])
            unknown = {key for key in FIELDS if isinstance(services[name].body.get(key), Unknown)}
            assert ours == {key: expected[key] for key in FIELDS if key in expected and key not in unknown}, (path, name)
            published = sorted((p.get("published"), p["target"], p.get("protocol", "tcp")) for p in expected.get("ports", ()) if p.get("host_ip") not in ("127.0.0.1", "::1"))
            host, targets = containers[name].value("host_ports"), containers[name].value("published_ports")
            assert sorted(each for port in targets for each in one_by_one(port.value)) == sorted(
                f"{target}" if protocol == "tcp" else f"{target}/{protocol}" for _, target, protocol in published), (path, name)
            assert sorted(port.value for port in host) == sorted(int(p) for p, _, _ in published if p), (path, name)
            environment = {env.name: env.value.value for env in containers[name].value("env") if env.literal}
            assert environment == {key: str(value) for key, value in (expected.get("environment") or {}).items() if key in environment}, (path, name)
            compared += 1
    assert compared >= 80


def test_an_include_s_project_folder_and_files_are_read_as_the_evaluator_reads_them():
    """The folder an included project reads relative paths from (its first file's, or
    `project_directory`) and the files it merges; an entry with a variable in any of
    them is left out whole, as the evaluator leaves it."""
    text = (
        "include:\n"
        "  - shared/one.yaml\n"
        "  - path: [shared/base.yaml, extra/more.yaml]\n"
        "  - path: base.yaml\n    project_directory: ../config\n"
        "  - path: [a/x.yaml, '${PART}/y.yaml']\n"
        "  - path: b/x.yaml\n    project_directory: ${WHERE}\n"
        "  - path: [not, a, string, 1]\n"
        "services: {}\n"
    )
    assert list(_included_projects(text)) == [
        ("shared", ["shared/one.yaml"]),
        ("shared", ["shared/base.yaml", "extra/more.yaml"]),
        ("../config", ["base.yaml"]),
    ]
    assert list(_included_projects("include: [")) == []  # does not parse


def test_a_null_keeps_what_it_is_merged_over(cli, tmp_path):
    """A null in an override or an extending service keeps the base's value, as
    `docker compose` merges: it is no way to hide a setting (only `!reset` drops it)."""
    write(tmp_path, {
        "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n  side:\n    extends: web\n    privileged:\n",
        "compose.override.yaml": "services:\n  web:\n    privileged: ~\n",
    })
    assert findings(scan(cli, tmp_path, "--select", "IG202", ".")) == ["compose.yaml:4:17: IG202", "compose.yaml:4:17: IG202"]


def test_extends_cycles_and_chains_past_the_budget_are_told(cli, tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  a: {image: nginx:1.27, extends: b}\n  b: {image: nginx:1.27, extends: {service: a}}\n"})
    run = scan(cli, tmp_path, ".")
    assert run.code == 0 and "IG999" not in run.out  # what the other would give is not known: no absent setting is reported
    assert "compose.yaml:2:35: IG003 [warning] service a extends itself again through b; docker compose rejects the cycle" in run.out
    chain = "services:\n  s0: {image: nginx:1.27, privileged: true}\n" + "".join(f"  s{n}: {{extends: s{n - 1}}}\n" for n in range(1, 13))
    write(tmp_path, {"compose.yaml": chain})
    run = scan(cli, tmp_path, "--select", "IG202", ".")
    assert run.code == 4 and "IG004 [error] evaluation stopped: compose services extend each other more than 10 deep" in run.out


def test_an_unreadable_base_leaves_the_image_s_user_unknown_not_the_service_s(cli, tmp_path):
    """Whether the base builds the image is not known either (it gave an internal
    error); a service that runs as root itself is reported all the same."""
    write(tmp_path, {"compose.yaml": "services:\n  a:\n    extends: {file: missing.yaml, service: x}\n"})
    run = scan(cli, tmp_path, "--select", "IG201", "compose.yaml")
    assert run.code == 4 and "IG999" not in run.out and findings(run) == []
    write(tmp_path, {"compose.yaml": "services:\n  a:\n    extends: {file: missing.yaml, service: x}\n    user: root\n"})
    assert findings(scan(cli, tmp_path, "--select", "IG201", "compose.yaml")) == ["compose.yaml:4:11: IG201"]


def diagnostics(run) -> list[str]:
    """`path:line:column: CODE` of each diagnostic the text report shows."""
    return [line.split(" [")[0] for line in run.lines if " IG" in line and line.split(" [")[1].startswith(("error", "warning", "note"))]


def test_a_base_that_cannot_be_read_leaves_what_it_would_set_unknown_not_what_the_service_writes(cli, tmp_path):
    """A base file that is missing or outside the scan root (IG005, told where
    `extends` names it; the file is incomplete) or remote (IG006; not incomplete)
    may set whatever the service leaves out: no rule reports a setting missing
    (limits and reservations, user, read_only, security_opt, healthcheck), nor a
    `cap_drop` without ALL, which Compose joins with the base's. What the service
    writes is judged: `privileged`, its published port, a health check it turns off."""
    project = write(tmp_path / "project", {
        "compose.yaml": "services:\n"
                        "  missing:\n    extends: {file: base/missing.yaml, service: base}\n    image: nginx:1.27\n"
                        "  outside:\n    extends: {file: ../base.yaml, service: base}\n    image: nginx:1.27\n    cap_drop: [NET_RAW]\n"
                        "  remote:\n    extends: {file: 'https://github.com/example/stack.git#main:base.yaml', service: base}\n    image: nginx:1.27\n"
                        "    privileged: true\n    healthcheck: {disable: true}\n    ports: [\"8080:80\"]\n",
    })
    write(tmp_path, {"base.yaml": "services:\n  base:\n    mem_limit: 256m\n"})
    run = scan(cli, project, "--select", "all,IG206,IG209", "-v", ".")
    assert run.code == 4
    assert findings(run) == ["compose.yaml:9:3: IG212", "compose.yaml:12:17: IG202", "compose.yaml:14:13: IG408"]
    assert diagnostics(run) == ["compose.yaml:3:21: IG005", "compose.yaml:6:21: IG005", "compose.yaml:10:21: IG006"]
    assert "compose.yaml:3:21: IG005 [error] depends on base/missing.yaml, which was refused: cannot read file" in run.out
    assert f"compose.yaml:6:21: IG005 [error] depends on {tmp_path / 'base.yaml'}, which was refused: outside the scan root" in run.out


def test_a_base_service_that_is_not_defined_is_told_where_extends_names_it(cli, tmp_path):
    """docker compose rejects the file, as it rejects a cycle: a warning at the
    name, and nothing the base would set is reported missing. A refused `include`
    is told at its entry too."""
    write(tmp_path, {
        "compose.yaml": "services:\n  web:\n    extends: base\n    image: nginx:1.27\n"
                        "  api:\n    extends: {file: common.yaml, service: nothere}\n    image: nginx:1.27\n",
        "common.yaml": "services:\n  base:\n    image: nginx:1.27\n",
    })
    run = scan(cli, tmp_path, "--select", "all,IG206,IG209", "compose.yaml")
    assert run.code == 0 and findings(run) == []
    assert [line for line in run.lines if "IG003" in line] == [
        "compose.yaml:3:14: IG003 [warning] service web extends base, but no such service is defined; docker compose rejects it",
        "compose.yaml:6:43: IG003 [warning] service api extends nothere, but common.yaml does not define it; docker compose rejects it",
    ]
    write(tmp_path, {"compose.yaml": "include:\n  - db/compose.yaml\nservices:\n  web:\n    image: nginx:1.27\n"})
    assert diagnostics(scan(cli, tmp_path, "--select", "IG202", "compose.yaml")) == ["compose.yaml:2:5: IG005"]


def test_a_port_s_host_address_must_be_an_ip_address(cli, tmp_path):
    """Docker reads the host part of a port as an IP address, IPv6 in brackets or
    not (go-connections `nat.ParsePortSpec`), and refuses anything else: such an
    entry is told where it is written, and published nowhere (it was taken for a
    public binding)."""
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    healthcheck: {test: [CMD, 'true']}\n    ports:\n"
                                     "      - 127.0.0.1:8080:80\n      - '[::1]:8081:80'\n      - '[127.0.0.1]:8082:80'\n      - 0.0.0.0:8083:80\n"
                                     "      - 999.1.1.1:8084:80\n      - localhost:8085:80\n      - '::1]:8086:80'\n      - 10.0.0.1:2222:22\n"
                                     "      - {target: 22, published: '2223', host_ip: 300.0.0.1}\n"})
    run = scan(cli, tmp_path, "--select", "IG212,IG304,IG408", ".")
    assert findings(run) == ["compose.yaml:9:9: IG408", "compose.yaml:13:9: IG304", "compose.yaml:13:9: IG408"]
    assert diagnostics(run) == ["compose.yaml:10:9: IG003", "compose.yaml:11:9: IG003", "compose.yaml:12:9: IG003", "compose.yaml:14:50: IG003"]
    assert "compose.yaml:10:9: IG003 [warning] ports: host address 999.1.1.1 is not an IP address; docker compose rejects it" in run.out


def test_an_empty_user_is_no_user_and_any_loopback_address_is_local(cli, tmp_path):
    write(tmp_path, {
        "compose.yaml": 'services:\n  web:\n    build: .\n    user: ""\n    ports: ["127.0.0.2:2222:22", "[::1]:8080:80"]\n',
        "Dockerfile": "FROM alpine:3.20\n",
    })
    assert findings(scan(cli, tmp_path, "--select", "IG201,IG304,IG408", "compose.yaml")) == ["compose.yaml:2:3: IG201"]


@pytest.mark.parametrize(("text", "parts"), [
    ("80", (None, None, "80", "")),
    ("8080:80/udp", (None, "8080", "80", "udp")),
    ("127.0.0.1::22", ("127.0.0.1", None, "22", "")),
    (":::2222:22", ("::", "2222", "22", "")),
    ("::1:8080:80", ("::1", "8080", "80", "")),
    ("[::1]:8080:80/tcp", ("[::1]", "8080", "80", "tcp")),
    ("fe80::1:2000-2001:20-21", ("fe80::1", "2000-2001", "20-21", "")),
])
def test_a_short_port_is_split_as_docker_splits_it(text, parts):
    """The last part is the container's, the one before it the host's, all before
    those the host address (go-connections `nat.splitParts`): an IPv6 address
    needs no brackets, and was dropped."""
    from iacguard.normalizers.compose import _short_port

    assert _short_port(text) == parts


def test_a_bind_mount_is_read_from_the_folder_of_the_file_that_writes_it(cli, tmp_path):
    """`../src` in an extended file of `common/` is the project's `./src`."""
    write(tmp_path, {
        "common/base.yaml": "services:\n  base:\n    image: nginx:1.27\n    volumes: [\"../src:/app\", \"../../etc:/etc-host\"]\n",
        "compose.yaml": "services:\n  web:\n    extends: {file: common/base.yaml, service: base}\n",
    })
    run = scan(cli, tmp_path, "--select", "IG402", "-f", "json", "compose.yaml")
    assert [(f["path"], f["message"]) for f in json.loads(run.out)["findings"]] == [
        ("common/base.yaml", "bind mount ../../etc mounts the node's filesystem")]


def test_short_and_long_forms_merge_as_docker_compose_writes_them_in_full(cli, tmp_path):
    """`build: ./app` under `build: {dockerfile: ...}` keeps its context; `env_file: a.env`
    under `env_file: [b.env]` keeps `a.env`."""
    write(tmp_path, {
        "compose.yaml": "services:\n  web:\n    build: ./app\n    env_file: a.env\n",
        "compose.override.yaml": "services:\n  web:\n    build: {dockerfile: Dockerfile.prod}\n    env_file: [b.env]\n",
        "app/Dockerfile.prod": "FROM alpine:3.20\nUSER 10001\n",
        "Dockerfile.prod": "FROM alpine:3.20\n",
        "a.env": "DB_PASSWORD=Sup3rS3cretValue99\n",
        "b.env": "LOG_LEVEL=info\n",
    })
    assert findings(scan(cli, tmp_path, "--select", "IG201,IG210", "compose.yaml")) == ["a.env:1:1: IG210"]


def test_build_args_replace_the_dockerfile_s_arg_defaults(cli, tmp_path):
    """`build.args` is `--build-arg`: `USER ${APP_USER}` with `APP_USER=root` written
    as the default runs as the user the build is given; one the environment gives is
    not known."""
    write(tmp_path, {
        "Dockerfile": "ARG BASE=alpine:3.20\nFROM ${BASE}\nARG APP_USER=root\nUSER ${APP_USER}\n",
        "compose.yaml": "services:\n  given: {build: {context: ., args: {APP_USER: \"10001\"}}}\n  listed: {build: {context: ., args: [APP_USER=root]}}\n"
                        "  default: {build: .}\n  environment: {build: {context: ., args: [APP_USER]}}\n",
    })
    assert findings(scan(cli, tmp_path, "--select", "IG201", "compose.yaml")) == ["compose.yaml:3:3: IG201", "compose.yaml:4:3: IG201"]


def test_a_build_context_is_read_from_the_folder_of_the_file_that_writes_it(cli, tmp_path):
    write(tmp_path, {
        "common/compose.yml": "services:\n  web:\n    build: ./app\n",
        "common/app/Dockerfile.prod": "FROM alpine:3.20\nUSER root\n",
        "compose.yaml": "services:\n  web:\n    extends: {file: common/compose.yml, service: web}\n    build: {dockerfile: Dockerfile.prod}\n",
    })
    assert findings(scan(cli, tmp_path, "--select", "IG201", "compose.yaml")) == ["compose.yaml:2:3: IG201"]


def test_build_args_reach_an_inline_dockerfile(cli, tmp_path):
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.20\n"
                                     "        ARG APP_USER=root\n        USER $${APP_USER}\n      args: {APP_USER: \"10001\"}\n"})
    assert findings(scan(cli, tmp_path, "--select", "IG201", "compose.yaml")) == []
