from iacguard import problem, rule

from ._commands import family, packages, run_commands, subcommand

_UPGRADES = {
    "apt": {"upgrade", "dist-upgrade", "full-upgrade"},
    "apk": {"upgrade"},
    "yum": {"upgrade", "update", "distro-sync"},
    "zypper": {"update", "up", "dist-upgrade", "dup"},
}


@rule(
    code="IG306",
    name="package-upgrade-in-build",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "reproducibility"),
    references={"hadolint": ["DL3005"], "trivy": ["DS024"]},
)
def check(resource, options):
    """A build step upgrades every installed package.

    ## What it checks
    `apt-get upgrade`/`dist-upgrade`/`full-upgrade`; and `apk upgrade`,
    `yum`/`dnf`/`microdnf` `upgrade`/`update` or `zypper update` without package names
    (upgrading named packages is a deliberate pin and passes; `apk upgrade --ignore`
    names the packages it leaves, and upgrades all the others).

    ## Why it matters
    A blanket upgrade makes the image depend on the day it was built: two builds of
    the same commit contain different software, and failures cannot be reproduced.
    It also hides that the base image is out of date.

    ## How to fix
    Update the base image tag (or digest) instead, so the upgrade is visible and
    reviewed; upgrade specific packages by name when a fix cannot wait.

    ## Example
    Fails: `RUN apt-get update && apt-get -y upgrade`. Passes:
    `RUN apt-get update && apt-get install -y --only-upgrade openssl`.
    """
    for _, command in run_commands(resource):
        kind = family(command)
        verb = subcommand(command)
        if kind in _UPGRADES and verb in _UPGRADES[kind]:
            if kind in ("yum", "zypper", "apk") and packages(command) and not command.has_flag("--ignore"):
                continue  # only the packages named (apk's `--ignore` upgrades all the others)
            yield problem(command.at, f"{command.program} {verb} upgrades every package at build time; update the base image instead")
