"""The Dockerfile parser and normalizer: positions, directives, heredocs, stages."""

import pytest

from iacguard.errors import ParseError
from iacguard.image import ImageRef
from iacguard.model import Unknown
from iacguard.normalizers.dockerfile import normalize
from iacguard.parsers.dockerfile import DockerfileFormat
from iacguard.parsers.dockerfile_syntax import parse

FORMAT = DockerfileFormat()


def stages(text):
    return list(normalize(FORMAT.parse(text, "Dockerfile")))


def test_continuations_skip_comments_and_blank_lines():
    dockerfile, comments, spans = parse("FROM alpine:3.20\nRUN apk add \\\n  # why\n\n    curl\nUSER 1\n")
    run = dockerfile.instructions[1]
    assert (run.keyword, run.line, run.end_line) == ("RUN", 2, 5)
    assert run.args == "apk add     curl"
    assert run.position(run.args.index("curl")) == (5, 5)
    assert [comment.line for comment in comments] == [3]
    assert spans == {1: 1, 2: 5, 6: 6}


def test_escape_directive_and_crlf():
    text = "# escape=`\r\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\r\nRUN dir `\r\n  C:\\\r\nUSER ContainerUser\r\n"
    dockerfile, _, _ = parse(text)
    assert dockerfile.escape == "`" and dockerfile.directives == {"escape": "`"}
    assert [i.keyword for i in dockerfile.instructions] == ["FROM", "RUN", "USER"]
    assert dockerfile.instructions[1].args == "dir   C:\\"


def test_directives_only_at_the_top():
    dockerfile, _, _ = parse("# syntax=docker/dockerfile:1\n# comment\n# escape=`\nFROM alpine\n")
    assert dockerfile.directives == {"syntax": "docker/dockerfile:1"} and dockerfile.escape == "\\"


def test_heredocs():
    text = "FROM alpine\nRUN <<EOT bash\nset -e\napk add curl\nEOT\nCOPY <<-'A' /a <<B /b\n\tone\n\tA\ntwo\nB\nUSER 1\n"
    dockerfile, _, spans = parse(text)
    run, copy = dockerfile.instructions[1], dockerfile.instructions[2]
    assert [(h.name, h.line, h.end_line, h.body) for h in run.heredocs] == [("EOT", 3, 5, "set -e\napk add curl\n")]
    assert [(h.name, h.body, h.expand) for h in copy.heredocs] == [("A", "one\n", False), ("B", "two\n", True)]
    assert dockerfile.instructions[3].line == 11
    assert spans[2] == 5 and spans[6] == 10


def test_exec_form_and_flags():
    dockerfile, _, _ = parse('FROM alpine\nCOPY --from=build --chmod=755 ["a b", "/dst/"]\nCMD ["run", "--fast"]\n')
    copy, cmd = dockerfile.instructions[1:]
    assert [(f.name, f.value) for f in copy.flags] == [("from", "build"), ("chmod", "755")]
    assert copy.exec_form == ["a b", "/dst/"] and cmd.exec_form == ["run", "--fast"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("FROM alpine\nRUN <<EOF\necho never closed\n", 2, "heredoc <<EOF is never terminated"),
        ("FROM alpine\nFORM alpine\n", 2, "unknown instruction 'FORM'"),
        ("# escape=x\nFROM alpine\n", 1, "invalid escape directive"),
    ],
)
def test_parse_errors_name_the_line(text, line, message):
    with pytest.raises(ParseError) as error:
        parse(text)
    assert error.value.line == line and message in error.value.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [("RUN echo hi\nFROM alpine\n", 1, "RUN before the first FROM"), ("# only a comment\n", 1, "no FROM instruction")],
)
def test_normalizer_errors_name_the_line(text, line, message):
    with pytest.raises(ParseError) as error:
        stages(text)
    assert error.value.line == line and message in error.value.message


def test_arg_expansion_in_from():
    resources = stages(
        "ARG REGISTRY=myacr.azurecr.io\nARG TAG\nARG VARIANT=${FLAVOUR:-slim}\n"
        "FROM ${REGISTRY}/base:1.0 AS a\nFROM $REGISTRY/base:${TAG} AS b\nFROM python:3.12-${VARIANT}\n"
    )
    first, second, third = (stage.value("image") for stage in resources)
    assert isinstance(first, ImageRef) and first.registry == "myacr.azurecr.io"
    assert isinstance(second, Unknown)
    assert third.raw == "python:3.12-slim"  # FLAVOUR is undeclared, so unset


def test_arg_default_modifiers():
    (stage,) = stages("ARG V=3.12\nARG S=\nFROM python:${V:-3.11}${S:+-${S}}\n")
    assert stage.value("image").raw == "python:3.12"


def test_a_stage_knows_the_later_stages_that_see_its_files():
    """Built on it (directly or through another stage), copying or mounting from it
    (by name or index): each later stage listed with its RUN steps. A `--from` not
    known may name any earlier stage; an image is no stage."""
    resources = stages(
        "ARG FROM_STAGE\n"
        "FROM debian:12 AS base\nRUN apt-get update\n"
        "FROM base AS mid\n"
        "FROM mid AS leaf\nRUN apt-get install -y git\n"
        "FROM debian:12 AS copier\nCOPY --from=0 /a /a\n"
        "FROM debian:12 AS mounter\nRUN --mount=from=mid,target=/m true\n"
        "FROM debian:12 AS other\nCOPY --from=alpine:3.20 /b /b\nRUN --mount=from=other,target=/m true\n"
        "FROM debian:12 AS unknown\nCOPY --from=${FROM_STAGE} /c /c\n"
    )
    later = {r.value("stage"): sorted(r.value("later_stages")) for r in resources}
    assert later == {
        "base": ["copier", "leaf", "mid", "mounter", "unknown"],
        "mid": ["leaf", "mounter", "unknown"],
        "leaf": ["unknown"], "copier": ["unknown"], "mounter": ["unknown"], "other": ["unknown"], "unknown": [],
    }
    assert [run.script for run in resources[0].value("later_stages")["leaf"]] == ["apt-get install -y git"]


def test_stage_chain_inherits_and_ships():
    resources = stages(
        "FROM golang:1.22 AS build\nUSER builder\n"
        "FROM alpine:3.20 AS base\nUSER app\nLABEL team=orders\nHEALTHCHECK CMD true\n"
        "FROM BASE\nCOPY --from=build /out /app\nCOPY --from=0 /x /y\n"
    )
    build, base, final = resources
    assert [r.runtime for r in resources] == [False, False, True]
    assert [r.value("in_final_image") for r in resources] == [False, True, True]
    assert final.value("base_stage") == "base" and final.value("image") is None
    assert final.value("user") == "app" and final.attr("user").location.line == 4
    assert final.value("healthcheck") == "check" and final.value("labels")["team"].value == "orders"
    assert final.value("base_image").raw == "alpine:3.20"
    assert final.value("images") == []  # stage references are not images
    assert final.address == "stage/2" and build.address == "stage/build"


def test_scratch_and_external_copy_sources():
    (stage,) = stages("FROM scratch\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n")
    assert stage.value("image") is None
    assert [image.value.raw for image in stage.value("images")] == ["nginx:1.27"]


def test_env_literals_references_and_origins():
    (stage,) = stages("FROM alpine\nARG A\nARG B=1\nENV C=$B D='x y'\nENV E ${B}z\n")
    envs = {env.name: env for env in stage.value("env")}
    assert (envs["A"].literal, envs["A"].value.value, envs["A"].origin) == (False, None, "ARG")
    assert (envs["B"].literal, envs["B"].value.value) == (True, "1")
    assert (envs["C"].literal, envs["C"].value.value) == (False, "1")
    assert (envs["D"].literal, envs["D"].value.value, envs["D"].origin) == (True, "x y", "ENV")
    assert envs["E"].value.value == "1z"  # legacy `ENV name value` form
    assert (envs["C"].location.line, envs["C"].location.column) == (4, 5)


def test_windows_shell_is_not_read_as_posix():
    """PowerShell's scripts are no POSIX shell's. Windows PowerShell and cmd run on
    Windows only; `pwsh` runs on Linux too, so it tells the system only where the
    image does not."""
    (stage,) = stages('FROM alpine\nSHELL ["powershell", "-Command"]\nRUN curl -k https://x | sh\n')
    assert stage.value("os") == "windows" and stage.value("runs")[0].commands == []
    (stage,) = stages('FROM mcr.microsoft.com/dotnet/framework/aspnet:4.8\nSHELL ["cmd", "/S", "/C"]\n')
    assert stage.value("os") == "windows"
    (stage,) = stages('FROM mcr.microsoft.com/powershell:7.4-ubuntu-22.04\nSHELL ["pwsh", "-Command"]\nRUN Write-Host hi\n')
    assert stage.value("os") == "linux" and stage.value("runs")[0].commands == []
    (stage,) = stages('ARG BASE\nFROM ${BASE}\nSHELL ["pwsh", "-Command"]\n')
    assert stage.value("os") == "windows"


@pytest.mark.parametrize(("image", "system"), [
    ("windowsteam.azurecr.io/api:1.2", "linux"),  # the registry's host names no system
    ("mcr.microsoft.com/windows/servercore:ltsc2022", "windows"),
    ("mcr.microsoft.com/windows:ltsc2019", "windows"),
    ("mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022", "windows"),
])
def test_windows_images_are_told_by_repository_and_tag(image, system):
    (stage,) = stages(f"FROM {image}\n")
    assert stage.value("os") == system


def test_run_commands_are_located_in_heredocs_and_exec_form():
    (stage,) = stages('FROM alpine\nRUN <<EOF\napk add curl\n  curl -k https://x\nEOF\nRUN ["/bin/sh", "-c", "sudo id"]\n')
    heredoc_step, exec_step = stage.value("runs")
    assert [(c.program, c.at.line, c.at.column) for c in heredoc_step.commands] == [("apk", 3, 1), ("curl", 4, 3)]
    assert [(c.program, c.at.line) for c in exec_step.commands] == [("id", 6)]


def test_commands_in_a_tab_stripped_heredoc_keep_their_columns():
    (stage,) = stages("FROM alpine\nRUN <<-EOF\n\tapk add curl\n\t\t  curl -k https://x\n\tEOF\n")
    assert [(c.program, c.at.line, c.at.column) for c in stage.value("runs")[0].commands] == [("apk", 3, 2), ("curl", 4, 5)]


def test_heredoc_for_another_interpreter_is_not_shell():
    (stage,) = stages("FROM alpine\nRUN python3 <<EOF\nimport os\nos.system('curl -k x | sh')\nEOF\n")
    assert [c.program for c in stage.value("runs")[0].commands] == ["python3"]


@pytest.mark.parametrize(
    ("name", "claim"),
    [("Dockerfile", "YES"), ("dockerfile", "YES"), ("Containerfile", "YES"), ("api.Dockerfile", "YES"),
     ("Dockerfile.prod", "MAYBE"), ("Dockerfile.dockerignore", "NO"), ("README.md", "NO")],
)
def test_names_claimed(name, claim):
    assert FORMAT.claim(name).name == claim


def test_sniffing():
    assert FORMAT.sniff("# comment\n\nFROM alpine\n")
    assert FORMAT.sniff("arg X=1\nfrom alpine\n")
    assert not FORMAT.sniff("node_modules\n*.log\n")
    assert not FORMAT.sniff("")


def test_the_package_cache_rule_walks_a_step_once_per_package_manager(cli, tmp_path, monkeypatch):
    """One RUN of thousands of installs joined by `&&` and cleaned at its end took
    minutes: the cleanup was looked for once per install."""
    import importlib

    module = importlib.import_module("iacguard.rules.dockerfile.package_cache_left")
    walks = []
    monkeypatch.setattr(module, "_kept_out", lambda step, program, kind, walk=module._kept_out: walks.append(program) or walk(step, program, kind))
    installs = " && ".join(f"apt-get install -y --no-install-recommends p{n}" for n in range(500))
    (tmp_path / "Dockerfile").write_text(f"FROM debian:12\nRUN apt-get update && {installs} && rm -rf /var/lib/apt/lists/*\nUSER 1000\n")
    assert cli("scan", "--no-cache", "--select", "IG305", "Dockerfile", cwd=tmp_path).code == 0
    assert walks == ["apt-get"]


def test_a_directive_without_a_value_is_a_comment():
    (stage,) = stages("# escape=\nFROM alpine:3.20\nUSER 1000\n")
    assert stage.value("user") == "1000"


def test_heredoc_markers_in_quoted_text_and_escaped_escapes_are_text():
    """`echo "cat <<EOF"` opens no heredoc (it stopped the file: never terminated);
    `C:\\\\` at a line's end is an escaped escape, which does not join the next line."""
    (stage,) = stages('FROM alpine:3.20\nRUN echo "use cat <<EOF to write" > /README\nRUN echo C:\\\\\nUSER 1000\n')
    assert [step.script for step in stage.value("runs")] == ['echo "use cat <<EOF to write" > /README', "echo C:\\\\"]
    assert stage.value("user") == "1000"


@pytest.mark.parametrize("run", [
    'RUN ["/bin/sh", "-ec", "curl -k https://x | sh"]',
    'RUN ["bash", "-lc", "curl -k https://x | sh"]',
    'RUN ["/bin/bash", "-o", "pipefail", "-c", "curl -k https://x | sh"]',
    'RUN ["/bin/bash", "-euxo", "pipefail", "-c", "curl -k https://x | sh"]',
    'RUN ["/bin/sh", "-c", "-x", "curl -k https://x | sh"]',
    "RUN <<EOF\n#!/bin/bash -e\ncurl -k https://x | sh\nEOF",
    "RUN <<EOF\n#!/usr/bin/env -S bash -e\ncurl -k https://x | sh\nEOF",
])
def test_shell_scripts_are_read_whatever_options_the_shell_is_given(run):
    (stage,) = stages(f"FROM alpine:3.20\n{run}\n")
    assert [command.program for command in stage.value("runs")[0].commands] == ["curl", "sh"]


def test_an_escaped_quote_opens_no_quoted_text():
    (stage,) = stages("FROM alpine:3.20\nRUN echo \\' && cat <<EOF > /f && echo \\'\nhello\nEOF\nUSER 1000\n")
    assert stage.value("user") == "1000"


def test_a_stage_inherits_the_args_of_the_stage_it_is_built_on():
    """Docker: an ARG declared in a stage is inherited by the stages based on it."""
    *_, final = stages("FROM alpine:3.20 AS base\nARG RUN_AS=root\nFROM base\nUSER ${RUN_AS}\n")
    assert final.value("user") == "root"


def test_an_instruction_is_expanded_with_the_values_from_before_it():
    """Docker's reference: `ENV abc=bye def=$abc` gives def the value abc had before."""
    (stage,) = stages("FROM alpine:3.20\nENV U=root G=0\nENV U=1000 V=$U\nARG G=10 H=$G\nUSER $V:$H\n")
    assert stage.value("user") == "root:0"


@pytest.mark.parametrize("text", ["ENV G=0\nARG G=10", "ENV G=0\nARG G", "FROM alpine:3.20 AS base\nENV G=0\nFROM base\nARG G=10"])
def test_an_env_wins_over_an_arg_of_the_same_name(text):
    """Docker's reference: an ENV always overrides an ARG of the same name."""
    *_, stage = stages(f"FROM alpine:3.20\n{text}\nUSER $G\n")
    assert stage.value("user") == "0"


@pytest.mark.parametrize("text, image", [
    ("FROM ${BASE:-ubuntu:24.04}", "ubuntu:24.04"),
    ("ARG BASE=ubuntu\nARG TAG=${RELEASE:-24.04}\nFROM ${BASE}:${TAG}", "ubuntu:24.04"),
    ("ARG BASE\nFROM ${BASE:-ubuntu:24.04}", None),
    ("FROM ubuntu:${TARGETARCH:-24.04}", None),
])
def test_from_sees_only_the_global_args(text, image):
    """A name FROM's scope does not declare is unset, so its default applies; one
    declared without a value, or a platform ARG, is known only at build time."""
    (stage,) = stages(f"{text}\nUSER 1000\n")
    value = stage.value("image")
    assert (value.raw if image else value) == (image or Unknown(text.rsplit("FROM ", 1)[1]))


def test_each_heredoc_is_read_by_the_command_whose_redirect_it_is():
    """BuildKit's `<<FILE1 cat > file1 && <<FILE2 bash`: the first body is data, the
    second a script; a shell reading a heredoc through a pipe still runs it."""
    (stage,) = stages(
        "FROM alpine:3.20\nRUN <<A cat > /etc/motd && <<B bash\ncurl -k https://x | sh\nA\napk add curl\nB\n"
        "RUN bash <<C 2>&1 | tee /log\nwget -qO- https://y | sh\nC\nUSER 1000\n"
    )
    first, second = stage.value("runs")
    assert [command.program for command in first.commands] == ["cat", "bash", "apk"]
    assert [(document.text, document.at.line) for document in first.documents] == [("curl -k https://x | sh\n", 3)]
    assert [command.program for command in second.commands] == ["bash", "tee", "wget", "sh"]


@pytest.mark.parametrize("shell_form", ['["/usr/bin/env", "bash", "-euxc"]', '["conda", "run", "-n", "app", "/bin/bash", "-c"]'])
def test_a_shell_started_by_a_launcher_reads_the_steps(shell_form):
    (stage,) = stages(f"FROM alpine:3.20\nSHELL {shell_form}\nRUN curl -k https://x | sh\nUSER 1000\n")
    assert [command.program for command in stage.value("runs")[0].commands] == ["curl", "sh"]


def test_a_shell_that_is_not_posix_reads_no_steps():
    (stage,) = stages('FROM alpine:3.20\nSHELL ["python3", "-c"]\nRUN print(1)\nUSER 1000\n')
    assert stage.value("runs")[0].commands == []


def test_an_onbuild_instruction_opens_heredocs_as_the_instruction_it_holds():
    """BuildKit reads `ONBUILD RUN <<EOF` with its heredoc; the body is not instructions."""
    dockerfile, _, _ = parse("FROM alpine:3.20\nONBUILD RUN <<EOF\napk add curl\nEOF\nONBUILD COPY <<EOF /etc/x\nUSER root\nEOF\nUSER 1000\n")
    assert [(i.keyword, i.line, [h.body for h in i.heredocs]) for i in dockerfile.instructions] == [
        ("FROM", 1, []), ("ONBUILD", 2, ["apk add curl\n"]), ("ONBUILD", 5, ["USER root\n"]), ("USER", 8, [])]


@pytest.mark.parametrize("line, heredocs", [
    ("RUN <<EOF", [("EOF", True)]),
    ("RUN <<-EOF", [("EOF", True)]),
    ("RUN <<  EOF  > /foo", [("EOF", True)]),  # blanks after `<<` are part of the word
    ("RUN << -EOF", [("-EOF", True)]),
    ("RUN <<- EOF", []),  # `<<-` and `EOF` are two words, and `<<-` names nothing
    ("RUN 4<<EOF", [("EOF", True)]),
    ("RUN <<EOF <<EOF2", [("EOF", True), ("EOF2", True)]),
    ("RUN '<<EOF' \"<<EOF\" a<<EOF", []),
    ("RUN <<'one two'", [("one two", False)]),
    ("RUN <<eo'f'", [("eof", False)]),
    ("RUN <<eo\\'f", [("eo'f", True)]),  # an escaped quote is no quoting
    ('RUN <<"a\\"b"', [('a"b', False)]),
    ("RUN <<$EOF", [("$EOF", True)]),
    ("RUN cat <<EOF>/etc/motd", [("EOF>/etc/motd", True)]),  # the word runs to a blank, not to `>`
    ('RUN echo "never closed <<EOF', []),  # BuildKit reads no word of such a line
])
def test_heredocs_are_the_words_buildkit_takes_for_them(line, heredocs):
    """BuildKit splits the instruction line into words (quotes and escapes kept) and
    takes each word that is `<<` (and a file descriptor, `-`, blanks) with a name for
    a heredoc, the name's quotes removed; a quoted name's body is not expanded."""
    bodies = "".join(f"body\n{name}\n" for name, _ in heredocs)
    dockerfile, _, _ = parse(f"FROM alpine:3.20\n{line}\n{bodies}USER 1000\n")
    run = dockerfile.instructions[1]
    assert [(h.name, h.expand) for h in run.heredocs] == heredocs
    assert [i.keyword for i in dockerfile.instructions] == ["FROM", "RUN", "USER"]


def test_a_directive_is_one_buildkit_reads():
    """Blanks around `=` are ASCII ones (Go's `\\s`): after a no-break space, the line
    is a comment and the escape character stays `\\`."""
    dockerfile, _, _ = parse("# escape\u00a0=`\nFROM alpine:3.20\nRUN echo `\nUSER 1000\n")
    assert dockerfile.escape == "\\" and dockerfile.directives == {}
    assert [i.keyword for i in dockerfile.instructions] == ["FROM", "RUN", "USER"]
    dockerfile, _, _ = parse("\u00a0#\u00a0escape = `\nFROM alpine:3.20\nRUN echo `\nUSER 1000\n")
    assert dockerfile.escape == "`" and [i.keyword for i in dockerfile.instructions] == ["FROM", "RUN"]
