
from iacguard import problem, rule
from iacguard.lazy import regex

from ._commands import family, has_option, is_install, run_commands

# The options that answer a package manager's confirmation prompt, per family; the
# first is the one advised.
_ASSUME_YES = {"apt": ("-y", "--yes", "--assume-yes"), "yum": ("-y", "--assumeyes"), "zypper": ("-n", "--non-interactive", "-y", "--no-confirm")}
# apt's quiet level (`-q`, `--quiet`, `--silent`, repeated or given a number) and
# its `-o`/`--option` settings, as apt's command line parser reads them.
_QUIET = regex(r"-(q+)|--(?:quiet|silent)|-q=?(\d+)|--(?:quiet|silent)=(\d+)")
_OPTION = regex(r"-o=?(.+)|--option=(.+)")
_TRUE = frozenset({"1", "yes", "true", "with", "on", "enable"})  # apt's StringToBool, read without case


@rule(
    code="IG308",
    name="package-install-interactive",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "reproducibility"),
    references={"hadolint": ["DL3014", "DL3030", "DL3034", "DL3038"], "trivy": ["DS021"]},
    aliases=("package-install-hygiene",),
)
def check(resource, options):
    """A package install waits for a confirmation that an unattended build cannot give.

    ## What it checks
    In stages that end up in the shipped image, installs by `apt-get`/`apt`,
    `yum`/`dnf` or `zypper` must pass the option that answers the prompt:
    `-y` (or `--yes`, `--assume-yes`; for apt also quiet level 2, which implies
    `-y` (apt-get(8)): `-qq`, `-q=2`, `--quiet=2`, `-o quiet=2`, and the setting
    `-o APT::Get::Assume-Yes=true`); for zypper `-n`
    (`--non-interactive`) or the install's `-y` (`--no-confirm`). `microdnf` never
    asks (its `-y` does nothing), so it passes. Builder stages whose layers do not
    ship are not reported.
    This rule was named `package-install-hygiene` and also held the checks that are
    now IG312 (`apt` in scripts), IG313 (pip pins) and IG314 (pip's cache); the old
    name still answers for all four, and so does IG308 for the three split out.

    ## Why it matters
    A build has no one to answer "Do you want to continue?": the package manager
    reads no answer, gives up, and the build fails, often only once a new dependency
    makes the prompt appear.

    ## How to fix
    `apt-get install -y ...`, `dnf install -y ...`, `zypper --non-interactive install ...`.

    ## Example
    Fails: `RUN apt-get install --no-install-recommends curl`. Passes:
    `RUN apt-get install -y --no-install-recommends curl`.
    """
    for _, command in run_commands(resource, shipped_only=True):
        kind = family(command)
        if kind not in _ASSUME_YES or command.program == "microdnf" or not is_install(command):
            continue
        if not has_option(command, *_ASSUME_YES[kind]) and not (kind == "apt" and _apt_assumes_yes(command)):
            yield problem(command.at, f"{command.program} install without {_ASSUME_YES[kind][0]} waits for confirmation")


def _apt_assumes_yes(command) -> bool:
    """apt answers its prompt itself at quiet level 2 or above, or when the
    `APT::Get::Assume-Yes` setting is true (names of settings ignore case)."""
    quiet, words = 0, iter(command.args)
    for word in words:
        text = word.text
        if text in ("-o", "--option"):
            text = "-o" + next(words, word).text
        if match := _QUIET.fullmatch(text):
            repeated, number = match[1], match[2] or match[3]
            quiet = int(number) if number else quiet + (len(repeated) if repeated else 1)
        elif match := _OPTION.fullmatch(text):
            name, _, value = (match[1] or match[2]).partition("=")
            if name.lower() == "quiet" and value.isdigit():
                quiet = int(value)
            elif name.lower() == "apt::get::assume-yes" and value.lower() in _TRUE:
                return True
    return quiet >= 2
