from iacguard import problem, rule

from ._commands import family, is_install, run_commands

# The options that answer a package manager's confirmation prompt, per family; the
# first is the one advised. apt-get's `-qq` implies `-y` (apt-get(8)).
_ASSUME_YES = {"apt": ("-y", "--yes", "--assume-yes", "-qq"), "yum": ("-y", "--assumeyes"), "zypper": ("-n", "--non-interactive", "-y", "--no-confirm")}


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
    `-y` (or `--yes`, `--assume-yes`, apt's `-qq`); for zypper `-n`
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
        if kind in _ASSUME_YES and command.program != "microdnf" and is_install(command) and not command.has_flag(*_ASSUME_YES[kind]):
            yield problem(command.at, f"{command.program} install without {_ASSUME_YES[kind][0]} waits for confirmation")
