"""The shell reader behind RUN analysis: pipelines, quoting, wrappers, positions."""

import pytest

from iacguard import shell


def programs(script):
    return [[command.program for command in pipeline] for pipeline in shell.parse(script)]


def test_lists_and_pipelines():
    assert programs("a && b || c; d | e |& f & g") == [["a"], ["b"], ["c"], ["d", "e", "f"], ["g"]]


def test_quotes_are_removed_and_expansions_marked():
    (command,) = shell.parse("""echo 'a b' "c $HOME" d\\ e""")[0]
    assert [word.text for word in command.args] == ["a b", "c $HOME", "d e"]
    assert [word.literal for word in command.args] == [True, False, True]


def test_offsets_are_reported_through_locate():
    (first,), (second,) = shell.parse("apt-get update &&\n  pip install x", locate=lambda offset: offset)
    assert first.at == 0 and second.at == 20


def test_wrappers_and_assignments():
    (command,) = shell.parse("FOO=1 sudo -E env BAR=2 /usr/bin/apt-get install -y curl")[0]
    assert command.program == "apt-get"
    assert [word.text for word in command.assignments] == ["FOO=1"]
    assert [word.text for word in command.wrappers] == ["sudo", "-E", "env", "BAR=2"]
    assert command.has_flag("-y") and not command.has_flag("--yes")


@pytest.mark.parametrize("script", [
    "sudo -u app pip install x", "sudo --user app -- pip install x", "doas -u app pip install x", "env -u HOME PATH=/x pip install x",
    "gosu app pip install x", "su-exec app:app pip install x", "runuser -u app -- pip install x", "timeout -s KILL 60 pip install x",
    "xargs -n 1 pip install", "nice -n 10 pip install x", "chroot /target pip install x",
])
def test_wrappers_with_values_are_seen_through(script):
    (command,) = shell.parse(script)[0]
    assert command.program == "pip"
    assert command.args[0].text == "install"


@pytest.mark.parametrize("script", [
    "su app -c 'curl x | sh'", "runuser -l app -c 'curl x | sh'", "su - app --command='curl x | sh'", "su -lc 'curl x | sh' app",
])
def test_the_script_a_switched_user_runs_is_read(script):
    assert programs(script)[1:] == [["curl", "sh"]]


def test_the_commands_find_runs_are_read():
    assert programs("find /app -type d -exec chmod 777 {} + -o -execdir sudo rm {} \\; && ls") == [["find"], ["chmod"], ["rm"], ["ls"]]


@pytest.mark.parametrize("script", ["command -v sudo", "command -V apt-get"])
def test_command_asked_where_a_program_is_runs_nothing(script):
    (command,) = shell.parse(script)[0]
    assert command.program == "command" and not command.wrappers


def test_short_flag_clusters():
    (command,) = shell.parse("curl -fsSLk https://example.com")[0]
    assert command.has_flag("-k") and command.has_flag("-L") and not command.has_flag("-o")


def test_redirections_are_not_arguments():
    (command,) = shell.parse("make 2>&1 >/dev/null < in.txt all")[0]
    assert [word.text for word in command.args] == ["all"]


def test_comments_and_keywords():
    assert programs("if [ -f x ]; then pip install y; fi # pip install z") == [["["], ["pip"]]


@pytest.mark.parametrize("script", [
    "echo 'a # no' \"b # no\" c\\ #no d#no # yes",
    "echo x;# yes",
    "echo $'a\\\\' # no\necho # yes",  # after a `$'` on its line, a comment only for some shells
])
def test_a_comment_starts_where_a_word_would(script):
    assert shell.comments(script) == [(script.index("# yes"), "# yes")]


def test_commands_after_a_c_quote_are_read_as_dash_runs_them():
    """dash (Debian's /bin/sh) ends `$'x\\'` at the escaped quote and runs the pipe
    after it; bash would read one string. The commands are read as dash runs them,
    and the `#` after it is no comment for either reading to agree on."""
    script = "echo $'x\\' && curl -fsSL https://example.com/install.sh | sh #'"
    assert programs(script) == [["echo"], ["curl", "sh"]]
    assert shell.comments(script) == []


def test_inline_scripts_are_read():
    assert programs("bash -c 'apt-get update && curl x | sh'") == [["bash"], ["apt-get"], ["curl", "sh"]]


@pytest.mark.parametrize("call", ["bash -o pipefail -c", "bash -eo pipefail -c", "sh -e -c", "bash --login -c", "sh -c -x", "bash -O extglob -c"])
def test_inline_scripts_are_found_after_any_options(call):
    assert programs(f"{call} 'curl x | sh'") == [[call.split()[0]], ["curl", "sh"]]


@pytest.mark.parametrize("call", ["bash script.sh -c", "bash -- -c", "bash -o pipefail", "sh -e", "bash +c x"])
def test_a_shell_given_no_inline_script_has_none(call):
    assert shell.script_index(call.split()) is None


def test_substitutions_stay_one_word():
    pipeline, _ = shell.parse('sh -c "$(curl -fsSL https://x)"')
    assert [word.text for word in pipeline[0].args] == ["-c", "$(curl -fsSL https://x)"]
    pipeline, _ = shell.parse("bash <(wget -qO- https://x)")
    assert pipeline[0].args[0].text == "<(wget -qO- https://x)"


def test_substituted_commands_follow_their_pipeline_where_they_stand():
    pipelines = shell.parse('V=$(curl -k https://x) && echo "$(sudo id)" `wget a` <(cat b) $((1 + 2)); ls')
    assert [[(command.program, command.at) for command in pipeline] for pipeline in pipelines] == [
        [("", 0)], [("curl", 4)], [("echo", 26)], [("id", 34)], [("wget", 45)], [("cat", 55)], [("ls", 74)]]


def test_substitutions_nested_past_the_limit_stay_words():
    pipelines = shell.parse("echo " + "$(a " * 5000 + ")" * 5000)
    assert [pipeline[0].program for pipeline in pipelines] == ["echo"] + ["a"] * shell.MAX_NESTING


def test_unterminated_quotes_do_not_raise():
    assert programs("echo 'never closed") == [["echo"]]
    assert programs('echo "never closed $(x') == [["echo"], ["x"]]


def test_scripts_inside_scripts_are_read_once_each():
    """A substitution inside an inline script is read with the script, not again;
    and scripts nested in substitutions nested in scripts cost what their text does."""
    assert programs('bash -c "echo $(curl -k https://x)"') == [["bash"], ["echo"], ["curl"]]

    def nested(depth):
        return "curl -k x" if depth == 0 else f"sh -c x$({nested(depth - 1)})"

    pipelines = shell.parse(nested(40))
    assert len(pipelines) <= 2 * shell.MAX_NESTING + 2
    assert sum(command.program == "curl" for pipeline in pipelines for command in pipeline) <= 1


@pytest.mark.parametrize(("script", "shells"), [
    ("<<EOF", [True]), ("bash <<EOF", [True]), ("cat <<EOF | sh", [True]), ("cat <<EOF | bash -c 'cat'", [False]),
    ("<<A cat > /f && <<B bash", [False, True]), ("while read u; do echo $u; done <<EOF", [False]), ("python3 <<EOF", [False]),
])
def test_a_heredoc_is_shell_when_a_shell_reads_it(script, shells):
    assert shell.heredoc_scripts(script) == shells


@pytest.mark.parametrize("script", ["runuser -u app -- curl -k -c /tmp/jar https://x", "/sbin/runuser -l app -c 'curl -k https://x'"])
def test_runuser_forms_are_told_apart(script):
    assert [command.program for pipeline in shell.parse(script) for command in pipeline][-1] == "curl"


def test_a_script_find_runs_is_read():
    assert programs("find /app -exec sh -c 'chmod 777 \"$1\"' _ {} \\;") == [["find"], ["sh"], ["chmod"]]


@pytest.mark.parametrize(("script", "reads"), [
    ("sh", True), ("bash -s", True), ("sh -s arg", True), ("sudo bash -e", True), ("bash -o pipefail", True), ("bash --login", True), ("sh -", True),
    ('sh -c "x"', False), ('bash -e -c "echo hi"', False), ("bash install.sh", False), ("bash -o pipefail install.sh", False),
])
def test_a_shell_reads_its_script_from_input_as_its_options_say(script, reads):
    """Read as `script_index` reads a shell's options: a `-c` after another option,
    or a script file after an option's value, is no script from standard input (a
    heredoc piped into `bash -e -c '...'` was taken for its script)."""
    first = next(command for pipeline in shell.parse(script) for command in pipeline)
    assert shell.reads_script_from_input(first) is reads
