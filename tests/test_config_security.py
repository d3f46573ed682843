"""A scanned repository cannot turn configuration or discovery against the scan:
hostile patterns are matched in linear time, config files are read with the limits
of scanned files and searched no higher than the scan root, and `--isolated` takes
the repository's own policy out of the picture (red-team D12-D14, C03-C06)."""

import json
import os
import subprocess
import sys
import time

import pytest

from iacguard.patterns import MAX_PATTERN_LENGTH, parse

DOCKERFILE = "FROM alpine\n"  # IG101, IG201
FINDINGS = {"IG101", "IG201"}
HANG_GUARD = 30  # seconds; every case here takes well under one


def iacguard(*args, cwd):
    """The real command in a child process, so a hang fails the test instead of
    stalling the run."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "iacguard", *args], cwd=cwd, capture_output=True, text=True, timeout=HANG_GUARD,
    )
    assert time.monotonic() - started < HANG_GUARD / 3
    return done


def write(root, relative, text=DOCKERFILE):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def repository(tmp_path, name="repo"):
    """A folder that is the top of a git work tree, as far as iacguard can tell."""
    root = tmp_path / name
    (root / ".git").mkdir(parents=True)
    return root


def rules(run):
    return {finding["rule"] for finding in json.loads(run.out)["findings"]}


# D12: patterns the repository writes cannot make matching backtrack without bound.

LONG_NAME = "a" * 200 + ".Dockerfile"
HOSTILE_PATTERNS = [
    pytest.param("************b", id="reproducer-star-run"),
    pytest.param("a*" * 30 + "!", id="a-star-chain"),
    pytest.param("*a" * 60 + "!", id="star-a-chain"),
    pytest.param("**/" * 25 + "b", id="deep-globstar"),
    pytest.param("[" + "a" * 900 + "]*" * 40 + "b", id="long-class"),
]


@pytest.mark.parametrize("pattern", HOSTILE_PATTERNS)
def test_hostile_gitignore_patterns_are_matched_quickly(tmp_path, pattern):
    root = repository(tmp_path)
    write(root, ".gitignore", pattern[:MAX_PATTERN_LENGTH] + "\n")
    write(root, LONG_NAME)
    write(root, "c/" + LONG_NAME)
    done = iacguard("scan", "--format", "json", ".", cwd=root)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["files"] == 2


@pytest.mark.parametrize("pattern", HOSTILE_PATTERNS)
def test_hostile_exclude_patterns_are_matched_quickly(tmp_path, pattern):
    root = repository(tmp_path)
    write(root, LONG_NAME)
    pattern = pattern[:MAX_PATTERN_LENGTH]
    assert iacguard("scan", "--exclude", pattern, ".", cwd=root).returncode == 1
    write(root, ".iacguard.yaml", json.dumps({"exclude": [pattern]}))
    assert iacguard("scan", ".", cwd=root).returncode == 1


def test_a_pattern_too_long_to_use_is_skipped_with_a_note(cli, tmp_path):
    root = repository(tmp_path)
    write(root, ".gitignore", "*.tmp\n" + "*" * (MAX_PATTERN_LENGTH + 1) + "b\nhidden.Dockerfile\n")
    write(root, "hidden.Dockerfile")
    write(root, "shown.Dockerfile")
    run = cli("scan", "-v", "--format", "json", cwd=root)
    assert [finding["path"] for finding in json.loads(run.out)["findings"]] == ["shown.Dockerfile"] * len(FINDINGS)
    assert "iacguard: skipped .gitignore:2: pattern not applied: pattern longer than 1024 characters\n" in run.err
    assert "iacguard: skipped hidden.Dockerfile: matched by .gitignore:3 (--isolated scans it)\n" in run.err


def test_an_exclude_pattern_too_long_to_use_is_a_usage_error(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    long = "x" * (MAX_PATTERN_LENGTH + 1)
    run = cli("scan", "--exclude", long, cwd=root)
    assert run.code == 2 and f"--exclude: pattern '{'x' * 27}...{'x' * 28}': pattern longer than 1024 characters" in run.err
    write(root, ".iacguard.yaml", f"exclude: [{long}]\n")
    run = cli("scan", cwd=root)
    assert run.code == 2 and f"{root / '.iacguard.yaml'}: key 'exclude': pattern" in run.err


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "matched"),
    [
        ("***.Dockerfile", "a/x.Dockerfile", False, True),  # a run of stars inside a name is one star
        ("a***b", "a/b", False, False),
        ("a/***/b", "a/x/y/b", False, True),  # ... and `**` when it is a whole component
        ("a/**/b", "a/b", False, True),
        ("**/b", "x/y/b", False, True),
        ("a/**", "a", True, False),  # what is inside, not the folder itself
        ("a/**", "a/x/y", False, True),
        ("/top", "x/top", False, False),
        ("build/", "build", False, False),
        ("build/", "x/build", True, True),
        ("[!a]*.tf", "b.tf", False, True),
        ("[!a]*.tf", "a.tf", False, False),
        ("[a-c]?.tf", "bx.tf", False, True),
        ("\\#x", "#x", False, True),
        ("*" + "a*" * 40 + "!", "a" * 250, False, False),
        ("[a\\-c]x", "bx", False, False),  # an escaped `-` is itself, not a range
        ("[a\\-c]x", "-x", False, True),
        ("[[:digit:]]y", "1y", False, True),  # wildmatch's named classes
        ("[![:alpha:]]z", "az", False, False),
    ],
)
def test_patterns_keep_git_semantics(pattern, path, is_dir, matched):
    assert parse(pattern).matches(path.split("/"), is_dir) is matched


# D13: a config file is read with the limits of scanned files.

ALIAS_BOMB = ["lol", *(f"[{', '.join([f'*b{level - 1}'] * 10)}]" for level in range(1, 10))]


def alias_bomb(indent):
    return "\n".join(f"{indent}- &b{level} {value}" for level, value in enumerate(ALIAS_BOMB)) + "\n"


@pytest.mark.parametrize(
    "config",
    [
        pytest.param("fail_on:\n" + alias_bomb("  "), id="fail_on"),
        pytest.param("severity:\n  IG101:\n" + alias_bomb("    "), id="severity"),
        pytest.param("rules:\n  IG103:\n    allowed_registries:\n" + alias_bomb("      "), id="rule-option"),
    ],
)
def test_an_alias_bomb_in_the_config_is_refused(tmp_path, config):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    write(root, ".iacguard.yaml", config)
    done = iacguard("scan", ".", cwd=root)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"iacguard: error: {root / '.iacguard.yaml'}:") and "more than 1,000,000 nodes after alias expansion" in done.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("fail_on: [" + ", ".join(["high"] * 100_000) + "]\n", "key 'fail_on' must be one of info, low, medium, high, critical, none, got ['high', 'high', 'high', 'high', ...]"),
        ("severity:\n  IG101: " + "x" * 100_000 + "\n", "rule 'IG101' must be one of info, low, medium, high, critical, got 'xxxxx"),
        ("rules:\n  IG103:\n    allowed_registries: [[" + ", ".join(["r"] * 100_000) + "]]\n", "must be a list of strings, got [['r', 'r', 'r', 'r', ...]]"),
        ("select: [" + "IG" * 50_000 + "]\n", "unknown rule selector 'IGIGIG"),
        ("? " + "y" * 100_000 + "\n: 1\n", "unknown key 'yyyy"),
    ],
)
def test_error_messages_show_config_values_cut_short(cli, tmp_path, config, message):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    write(root, ".iacguard.yaml", config)
    run = cli("scan", cwd=root)
    assert run.code == 2 and message in run.err and len(run.err) < 500


def test_a_config_file_must_be_a_regular_file_inside_the_scan_root(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    outside = write(tmp_path, "elsewhere.yaml", "fail_on: none\n")
    (root / ".iacguard.yaml").symlink_to(outside)
    run = cli("scan", cwd=root)
    assert run.code == 2 and f"{root / '.iacguard.yaml'}: cannot read: outside the scan root" in run.err
    (root / ".iacguard.yaml").unlink()
    os.mkfifo(root / ".iacguard.yaml")  # would block a plain open() forever
    done = iacguard("scan", ".", cwd=root)
    assert done.returncode == 2 and f"{root / '.iacguard.yaml'}: cannot read: not a regular file" in done.stderr


def test_a_config_file_over_the_size_limit_is_refused(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    write(root, ".iacguard.yaml", "# padding\n" * (1024 * 1024 + 1))
    run = cli("scan", cwd=root)
    assert run.code == 2 and "cannot read: file is 10.0 MiB, over the 10 MiB limit" in run.err


# D14: a pyproject.toml whose `tool` is not a table.


def test_a_non_table_tool_in_pyproject_is_not_a_crash(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "pyproject.toml", "tool = 5\n")
    write(root, "sub/Dockerfile")
    run = cli("scan", "--format", "json", ".", cwd=root / "sub")
    assert run.code == 1 and rules(run) == FINDINGS


def test_a_non_table_tool_iacguard_is_a_config_error(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "pyproject.toml", "[tool]\niacguard = 5\n")
    write(root, "Dockerfile")
    run = cli("scan", cwd=root)
    assert (run.code, run.err) == (2, f"iacguard: error: {root / 'pyproject.toml'}: tool.iacguard must be a table\n")


# C04: the config comes from the scanned repository, not from a folder above it.


def test_a_config_above_the_scan_root_is_not_applied(cli, tmp_path):
    write(tmp_path, ".iacguard.yaml", "ignore: [all]\n")
    root = repository(tmp_path)
    write(root, "sub/Dockerfile")
    run = cli("scan", "-v", "--format", "json", ".", cwd=root / "sub")
    assert run.code == 1 and rules(run) == FINDINGS
    assert "iacguard: config: none\n" in run.err


def test_the_repository_config_applies_when_scanned_from_elsewhere(cli, tmp_path):
    root = repository(tmp_path)
    write(root, ".iacguard.yaml", "select: [IG101]\n")
    write(root, "sub/Dockerfile")
    run = cli("scan", "-v", "--format", "json", str(root / "sub"), cwd=tmp_path)
    assert rules(run) == {"IG101"}
    assert "iacguard: config: repo/.iacguard.yaml\n" in run.err
    # Outside a git work tree the scanned folder is the scan root.
    write(tmp_path, "plain/.iacguard.yaml", "select: [IG101]\n")
    write(tmp_path, "plain/sub/Dockerfile")
    assert rules(cli("scan", "--format", "json", "plain/sub", cwd=tmp_path)) == FINDINGS
    assert rules(cli("scan", "--format", "json", "plain", cwd=tmp_path)) == {"IG101"}


# C05: a broken pyproject.toml that is not iacguard's does not stop the run.


@pytest.mark.parametrize("content", [b"[project\nname = 'x'\n", b"[project]\nname = '\xff\xfe'\n", b"x = 1" + b"1" * 5000 + b"\n"])
def test_an_unrelated_broken_pyproject_is_passed_over(cli, tmp_path, content):
    root = repository(tmp_path)
    (root / "pyproject.toml").write_bytes(content)
    write(root, "Dockerfile")
    run = cli("scan", "-v", "--format", "json", cwd=root)
    assert run.code == 1 and rules(run) == FINDINGS
    assert "iacguard: config: none\n" in run.err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("pyproject.toml", "[tool.iacguard\nselect = ['IG101']\n", "invalid TOML"),
        ("pyproject.toml", "[project]\nname = 'x'\n[tool.iacguard]\nselect = ['IG101'\n", "invalid TOML"),
        (".iacguard.yaml", "select: [IG101\n", "invalid YAML"),
        (".iacguard.yaml", "a: 1\n---\nb: 2\n", "the configuration must be a single YAML document"),
    ],
)
def test_a_broken_config_is_a_usage_error_naming_the_file(cli, tmp_path, name, content, message):
    root = repository(tmp_path)
    write(root, name, content)
    write(root, "Dockerfile")
    run = cli("scan", cwd=root)
    assert run.code == 2 and run.err.startswith(f"iacguard: error: {root / name}") and message in run.err


# C06: an empty selection is an error, never a scan that checks nothing.


@pytest.mark.parametrize("select", ["", ",,,", " , "])
def test_an_empty_select_option_is_a_usage_error(cli, tmp_path, select):
    write(tmp_path, "Dockerfile")
    run = cli("scan", "--select", select, cwd=tmp_path)
    assert (run.code, run.out, run.err) == (2, "", "iacguard: error: --select selects no rule\n")


@pytest.mark.parametrize(("name", "content"), [(".iacguard.yaml", "select: []\n"), (".iacguard.yaml", "select: ''\n"), ("pyproject.toml", "[tool.iacguard]\nselect = []\n")])
def test_an_empty_select_in_the_config_is_a_config_error(cli, tmp_path, name, content):
    write(tmp_path, name, content)
    write(tmp_path, "Dockerfile")
    run = cli("scan", cwd=tmp_path)
    assert run.code == 2 and f"{tmp_path / name}: key 'select' selects no rule" in run.err


# C03 and --isolated: what the repository says about its own scan can be switched off.


def test_files_hidden_by_gitignore_are_listed_and_isolated_scans_them(cli, tmp_path):
    root = repository(tmp_path)
    write(root, ".gitignore", "Dockerfile\nhidden/\n")
    write(root, "Dockerfile")
    write(root, "hidden/app.Dockerfile")
    write(root, "notes.txt", "not infrastructure\n")
    run = cli("scan", "-v", cwd=root)
    assert (run.code, run.lines) == (0, ["No findings in 0 files."])
    assert run.err.splitlines() == [
        "iacguard: config: none",
        "iacguard: skipped Dockerfile: matched by .gitignore:1 (--isolated scans it)",
        "iacguard: skipped hidden: matched by .gitignore:2 (--isolated scans it)",
    ]
    run = cli("scan", "--isolated", "--format", "json", cwd=root)
    assert [finding["path"] for finding in json.loads(run.out)["findings"]] == ["Dockerfile"] * len(FINDINGS) + ["hidden/app.Dockerfile"] * len(FINDINGS)


def test_a_deeper_gitignore_decides_and_is_the_one_named(cli, tmp_path):
    root = repository(tmp_path)
    write(root, ".gitignore", "*.Dockerfile\n")
    write(root, "svc/.gitignore", "!keep.Dockerfile\n# comment\ndrop.Dockerfile\n")
    for name in ("svc/keep.Dockerfile", "svc/drop.Dockerfile", "svc/other.Dockerfile"):
        write(root, name)
    run = cli("scan", "-v", "--format", "json", cwd=root)
    assert {finding["path"] for finding in json.loads(run.out)["findings"]} == {"svc/keep.Dockerfile"}
    assert "iacguard: skipped svc/drop.Dockerfile: matched by svc/.gitignore:3 (--isolated scans it)" in run.err
    assert "iacguard: skipped svc/other.Dockerfile: matched by .gitignore:1 (--isolated scans it)" in run.err


def test_isolated_ignores_the_repository_config_baseline_and_gitignore(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "Dockerfile")
    write(root, "app/api.Dockerfile")
    assert cli("scan", "--write-baseline", "baseline.json", cwd=root).code == 0
    write(root, ".gitignore", "Dockerfile\n")
    write(root, ".iacguard.yaml", "ignore: [all]\nfail_on: none\nexclude: ['**']\nbaseline: baseline.json\n")
    quiet = cli("scan", "--format", "json", cwd=root)
    assert (quiet.code, json.loads(quiet.out)["findings"]) == (0, [])
    isolated = cli("scan", "-v", "--isolated", "--format", "json", cwd=root)
    assert isolated.code == 1 and "iacguard: config: none\n" in isolated.err
    assert sorted((finding["path"], finding["rule"]) for finding in json.loads(isolated.out)["findings"]) == sorted(
        (path, rule) for path in ("Dockerfile", "app/api.Dockerfile") for rule in FINDINGS
    )


def test_isolated_still_applies_the_config_named_on_the_command_line(cli, tmp_path):
    root = repository(tmp_path)
    write(root, ".iacguard.yaml", "ignore: [all]\n")
    write(root, "Dockerfile")
    write(tmp_path, "ci.yaml", "select: [IG201]\n")
    run = cli("scan", "-v", "--isolated", "--config", str(tmp_path / "ci.yaml"), "--format", "json", cwd=root)
    assert rules(run) == {"IG201"} and f"iacguard: config: {tmp_path / 'ci.yaml'}\n" in run.err


def test_a_trailing_backslash_is_a_pattern_git_does_not_use(cli, tmp_path):
    root = repository(tmp_path)
    write(root, "a\\")
    write(root, ".gitignore", "a\\\n")
    run = cli("scan", "-v", ".", cwd=root)
    assert "iacguard: skipped .gitignore:1: pattern not applied: a trailing backslash escapes nothing (git matches nothing with it)" in run.err


def test_the_number_of_patterns_is_bounded(cli, tmp_path):
    """Every path is checked against every pattern in force: a repository cannot make
    each check cost milliseconds with a hundred thousand patterns."""
    root = repository(tmp_path)
    write(root, "Dockerfile", "FROM alpine:3.20\nEXPOSE 22\n")
    write(root, ".gitignore", "".join(f"/q{index}*z\n" for index in range(1_500)))
    write(root, "sub/.gitignore", "".join(f"/r{index}*z\n" for index in range(900)))
    write(root, "sub/deeper/.gitignore", "".join(f"/s{index}*z\n" for index in range(900)))
    write(root, "sub/deeper/Dockerfile", "FROM alpine:3.20\nEXPOSE 22\n")
    run = cli("scan", "-v", "--select", "IG304", ".", cwd=root)
    assert run.code == 1 and len(run.lines) == 3
    assert "iacguard: skipped .gitignore:1001: pattern not applied: more than 1,000 patterns: this one and those after it" in run.err
    assert "iacguard: skipped sub/deeper/.gitignore: not applied: more than 2,000 patterns would be in force" in run.err
    write(root, ".iacguard.yaml", "exclude: [" + ", ".join(f"x{index}" for index in range(1_001)) + "]\n")
    run = cli("scan", ".", cwd=root)
    assert run.code == 2 and "more than 1,000 patterns" in run.err



def test_the_command_line_selection_runs_what_the_config_ignores(cli, tmp_path):
    """A pipeline's `--select` chooses afresh: a repository's `ignore` cannot switch off
    the rules it asks for (it ran no rule and passed). The command line's own
    `--ignore` still applies."""
    root = repository(tmp_path)
    write(root, ".iacguard.yaml", "ignore: [all]\n")
    write(root, "Dockerfile")
    assert rules(cli("scan", "--format", "json", cwd=root)) == set()
    assert rules(cli("scan", "--select", "IG201", "--format", "json", cwd=root)) == {"IG201"}
    assert rules(cli("scan", "--select", "IG201,IG101", "--ignore", "IG101", "--format", "json", cwd=root)) == {"IG201"}
