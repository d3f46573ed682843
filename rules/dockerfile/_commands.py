"""What the build-hygiene rules need to know about common commands: which words are
options, which program manages packages, how pip is invoked. Shared by the IG3xx
rules so each knows these facts from one place."""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Iterator
from fnmatch import fnmatchcase

from iacguard.model import Resource, RunStep
from iacguard.shell import Command, Word

APT = frozenset({"apt-get", "apt"})
YUM = frozenset({"yum", "dnf", "microdnf", "tdnf"})
APK = frozenset({"apk"})
ZYPPER = frozenset({"zypper"})

# Options that take a separate value, per program family, so the value is not
# mistaken for a package or a subcommand: read from each program's own option
# tables (apt's private-cmndline.cc, dnf's option_parser.py and dnf5's
# commands, apk-tools' `APK_OPT_ARG` options, pip's parser for `install`,
# `download` and `wheel` with its general options, zypper(8)).
_VALUED = {
    "apt": frozenset({
        "-o", "--option", "-c", "--config-file", "-t", "--target-release", "--default-release", "-S", "--snapshot",
        "-a", "--host-architecture", "-P", "--build-profiles", "-e", "--error-on", "--with-source", "--solver",
        "--planner", "--comment", "--format", "--cli-version",
    }),
    "yum": frozenset({
        "-c", "--config", "-d", "--debuglevel", "-e", "--errorlevel", "-R", "--randomwait", "-x", "--exclude",
        "--excludepkgs", "--installroot", "--releasever", "--releasever-major", "--releasever-minor", "--setopt",
        "--setvar", "--enableplugin", "--disableplugin", "--enable-plugin", "--disable-plugin", "--rpmverbosity",
        "--enablerepo", "--disablerepo", "--enable-repo", "--disable-repo", "--repo", "--repoid", "--repofrom",
        "--repofrompath", "--disableexcludes", "--disableexcludepkgs", "--color", "--destdir", "--downloaddir",
        "--comment", "--advisory", "--advisories", "--advisory-severities", "--bz", "--bzs", "--cve", "--cves",
        "--sec-severity", "--secseverity", "--forcearch", "--from-repo", "--from-vendor", "--store",
        "--dump-repo-config",
    }),
    "apk": frozenset({
        "-X", "--repository", "-p", "--root", "--arch", "--repositories-file", "--repository-config", "-t",
        "--virtual", "--cache-dir", "--cache-max-age", "--keys-dir", "--preupgrade-depends", "--progress-fd",
        "--timeout", "--uvol-manager", "--wait", "--from", "-c", "--compression", "--sign-key",
    }),
    # zypper's global options, before its command (`zypper -t` is `--terse` there)...
    "zypper": frozenset({
        "-c", "--config", "-D", "--reposd-dir", "-C", "--cache-dir", "--raw-cache-dir", "--solv-cache-dir",
        "--pkg-cache-dir", "--userdata", "-p", "--plus-repo", "--plus-content", "--releasever", "-R", "--root",
        "--installroot", "-s", "--table-style",
    }),
    "pip": frozenset({
        "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url", "--pypi-url",
        "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root", "--trusted-host",
        "--platform", "--python-version", "--implementation", "--abi", "--no-binary", "--only-binary",
        "--progress-bar", "--src", "--source", "--source-dir", "--source-directory", "--upgrade-strategy",
        "--global-option", "--install-option", "--build-option", "-C", "--config-settings", "--log", "--log-file",
        "--local-log", "--cache-dir", "--proxy", "--retries", "--resume-retries", "--timeout", "--default-timeout",
        "--exists-action", "--cert", "--client-cert", "--report", "--python", "--root-user-action",
        "--keyring-provider", "--use-feature", "--use-deprecated", "--group", "--build-constraint",
        "--requirements-from-script", "--refresh-package", "--all-releases", "--only-final", "--uploaded-prior-to",
        "-d", "--dest", "--destination-dir", "--destination-directory", "-w", "--wheel-dir",
    }),
}
# ... and the options of its commands that take a value, after it (`install -t pattern`).
_COMMAND_VALUED = {"zypper": frozenset({"-t", "--type", "-r", "--repo", "--from", "--download", "--entire-catalog", "--plus-content"})}


# The subcommands that fetch a package manager's index afresh, per family.
_REFRESHES = {"apt": ("update",), "apk": ("update",), "yum": ("makecache",), "zypper": ("refresh", "ref")}


def shipped_runs(resource: Resource) -> tuple[RunStep, ...]:
    """The RUN steps of a stage whose layers ship (the final stage and the stages it
    is built on); none of a build-only stage. The package install rules judge the
    layers of the shipped image: what is installed there, how, and what is left
    behind. A builder stage reaches that image only through the files copied out of
    it, so its own installs are not reported, by any of those rules."""
    return tuple(resource.value("runs") or ()) if resource.value("in_final_image") else ()


def run_commands(resource: Resource, shipped_only: bool = False) -> Iterator[tuple[RunStep, Command]]:
    """Every shell command of every RUN step of a build stage; with `shipped_only`,
    of the steps whose layers ship (see `shipped_runs`)."""
    for step in shipped_runs(resource) if shipped_only else resource.value("runs") or ():
        for command in step.commands:
            yield step, command


def shipped_pip_installs(resource: Resource) -> Iterator[tuple[RunStep, Command]]:
    """The `pip install` commands of the steps whose layers ship."""
    for step, command in run_commands(resource, shipped_only=True):
        if family(command) == "pip" and is_install(command):
            yield step, command


def exported(command: Command) -> list[Word]:
    """The `NAME=value` words an `export` sets; none for another command."""
    return [word for word in command.args if "=" in word.text] if command.program == "export" else []


def values_set_for(step: RunStep, command: Command) -> dict[str, str]:
    """The variables a step sets for `command`, each with its text as written: its
    own `NAME=value` prefixes and what the step `export`s before it."""
    values = {}
    for earlier in step.commands:
        if earlier is command:
            break
        values.update(word.text.partition("=")[::2] for word in exported(earlier))
    values.update(word.text.partition("=")[::2] for word in command.assignments)
    return values


def family(command: Command) -> str | None:
    """The package manager family a command belongs to, if any."""
    program = command.program
    for name, members in (("apt", APT), ("yum", YUM), ("apk", APK), ("zypper", ZYPPER)):
        if program in members:
            return name
    if pip_args(command) is not None:
        return "pip"
    return None


def has_option(command: Command, *flags: str) -> bool:
    """`Command.has_flag`, its clusters of short options read with the program's
    global options that take a value: `apt-get -oDebug::Solver=yes` holds no `-y`.
    (A command's own options are not read: zypper's `-t` takes a value after its
    command, and is `--terse` before it, as in `zypper -tn install`.)"""
    return command.has_flag(*flags, valued=_VALUED.get(family(command), frozenset()))


def positionals(args: list[Word], valued: frozenset[str] = frozenset(), valued_after: frozenset[str] | None = None) -> list[Word]:
    """Arguments that are not options or option values; `valued_after`, the options
    that take a value once a first positional (a subcommand) is read, where they
    differ from those before it."""
    result, skip = [], False
    for word in args:
        if skip:
            skip = False
            continue
        if word.text.startswith("-"):
            skip = word.text in (valued if not result or valued_after is None else valued_after)
            continue
        result.append(word)
    return result


def _positionals(command: Command) -> list[Word]:
    """The subcommand and what follows it, of a package manager or pip."""
    args = pip_args(command)
    if args is None:
        args = command.args
    kind = family(command) or ""
    return positionals(args, _VALUED.get(kind, frozenset()), _COMMAND_VALUED.get(kind))


def subcommand_word(command: Command) -> Word | None:
    """The first positional argument: `install` in `apt-get -y install curl`."""
    found = _positionals(command)
    return found[0] if found else None


def subcommand(command: Command) -> str:
    """The text of `subcommand_word`, empty when there is none."""
    word = subcommand_word(command)
    return word.text if word else ""


def packages(command: Command) -> list[Word]:
    """The positional arguments after the subcommand."""
    return _positionals(command)[1:]


def pip_args(command: Command) -> list[Word] | None:
    """The arguments given to pip (`pip`, `pip3`, `python -m pip`), or None."""
    program = command.program
    if program == "pip" or (program.startswith("pip") and program[3:].replace(".", "").isdigit()):
        return command.args
    if program.startswith("python") and len(command.args) >= 2 and command.args[0].text == "-m" and command.args[1].text == "pip":
        return command.args[2:]
    return None


def refreshes(command: Command) -> bool:
    """A command that fetches its package manager's index afresh (`apt-get update`)."""
    return subcommand(command) in _REFRESHES.get(family(command) or "", ())


def is_install(command: Command) -> bool:
    """A package installation by any of the known package managers."""
    verb = subcommand(command)
    return family(command) is not None and verb in ("install", "add", "in", "reinstall", "groupinstall")


def removes(step: RunStep, folder: str) -> bool:
    """True when an `rm` of the step removes `folder`, all that is in it
    (`lists/*`) or a folder that holds it (`rm -rf /var/lib/apt`), or a `find ...
    -delete` (or `-exec rm`) empties it, with relative paths read from the step's
    working directory and its `cd`s."""
    current = step.workdir
    for command in step.commands:
        if command.program == "cd" and command.args:
            current = _resolve(current, command.args[-1].text)
        elif command.program == "rm":
            for word in command.args:
                removed = None if word.text.startswith("-") else _resolve(current, word.text)
                if removed is not None and _covers(removed, folder):
                    return True
        elif command.program == "find" and _find_deletes(command):
            for word in itertools.takewhile(lambda word: not word.text.startswith(("-", "(", "!")), command.args):
                removed = _resolve(current, word.text)
                if removed is not None and _covers(removed.rstrip("/") + "/*", folder):
                    return True
    return False


def mounted(step: RunStep, folder: str) -> bool:
    """True when a `--mount` of the step (of any type) is at `folder` or a folder
    that holds it: what the step writes there never reaches its layer."""
    return any(target is not None and _covers(target, folder) for target in (_resolve(step.workdir, raw) for raw in step.mounts if raw))


# What `find` may be told besides its paths and still remove all it walks: no test
# that picks some files only (`-name`, `-newer`, ...).
_FIND_WALKS_ALL = frozenset({"-type", "-mindepth", "-maxdepth", "-xdev", "-mount", "-depth", "-print", "-delete"})


def _find_deletes(command: Command) -> bool:
    """`find PATH ... -delete`, or `-exec rm` on what it finds, with no test that
    keeps some files (`find / -name '*.pyc' -delete` removes no cache): what is under
    PATH goes."""
    texts = [word.text for word in command.args]
    executes = next((index for index, text in enumerate(texts) if text in ("-exec", "-execdir")), len(texts))
    if any(text.startswith("-") and text not in _FIND_WALKS_ALL for text in texts[:executes]):
        return False
    return "-delete" in texts[:executes] or texts[executes + 1 : executes + 2] == ["rm"] or texts[executes + 1 : executes + 2] == ["/bin/rm"]


def _covers(removed: str, folder: str) -> bool:
    """True when removing `removed` removes `folder`: it is the folder, one holding
    it, or all that is inside it (`lists/*`); a pattern matches each name as the
    shell expands it (`/var/lib/apt/lists*`, `/var/cache/*`), and one that picks
    some files inside (`lists/partial`, `dnf/*.solv`) does not remove the folder."""
    names = [name for name in removed.split("/") if name]
    if names and set(names[-1]) == {"*"}:  # `lists/*`, and `lists/**`, which is `*` to a shell without globstar
        names.pop()
    held = [name for name in folder.split("/") if name]
    return len(names) <= len(held) and all(fnmatchcase(name, pattern) for pattern, name in zip(names, held))


def _resolve(folder: str | None, path: str) -> str | None:
    """`path` as an absolute path, read from `folder` (None: not known)."""
    if path.startswith("/"):
        return posixpath.normpath(path)
    return None if folder is None or path.startswith(("$", "~")) else posixpath.normpath(posixpath.join(folder, path))
