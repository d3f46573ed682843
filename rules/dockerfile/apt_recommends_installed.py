from iacguard import problem, rule, unsafe_fix

from ._commands import family, is_install, run_commands
from ._fixes import add_option

# apt's configuration item for the same choice, as `-o APT::Install-Recommends=false`
# (apt.conf(5)); compared without case and spaces.
_RECOMMENDS_OFF = ("apt::install-recommends=false", "apt::install-recommends=0")


@rule(
    code="IG311",
    name="apt-recommends-installed",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "image-size"),
    references={"hadolint": ["DL3015"], "trivy": ["DS029"]},
    aliases=("IG305",),
    fix=unsafe_fix("dockerfile"),
)
def check(resource, options):
    """An apt install pulls in recommended packages nobody asked for.

    ## What it checks
    In stages that end up in the shipped image, every `apt-get install` or
    `apt install` must pass `--no-install-recommends` (or set
    `-o APT::Install-Recommends=false`). Builder stages whose layers do not ship are
    not reported. This check was part of IG305, which still selects, ignores and
    suppresses it.

    ## Why it matters
    By default apt also installs every package the requested ones recommend: often
    tens of megabytes of documentation, helpers and libraries that the image does not
    use, each one more thing to patch and to scan.

    ## How to fix
    Add `--no-install-recommends` and install what is really needed by name.

    The fix adds `--no-install-recommends` after `install`. It is unsafe: the
    application may rely on a recommended package (`curl` recommends
    `ca-certificates`, without which it cannot verify HTTPS servers), so name those
    packages after applying it.

    ## Example
    Fails: `RUN apt-get install -y curl`. Passes:
    `RUN apt-get install -y --no-install-recommends curl`.
    """
    for step, command in run_commands(resource, shipped_only=True):
        if family(command) == "apt" and is_install(command) and not _recommends_off(command):
            yield problem(command.at, f"{command.program} install without --no-install-recommends pulls in unrequested packages",
                          fix=add_option(step, command, "--no-install-recommends"))


def _recommends_off(command) -> bool:
    if command.has_flag("--no-install-recommends"):
        return True
    return any(word.text.lower().replace(" ", "") in _RECOMMENDS_OFF for word in command.args)
