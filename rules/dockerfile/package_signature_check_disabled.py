from iacguard import problem, rule

from ._commands import family, run_commands

_FLAGS = {
    "apt": ("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"),
    "yum": ("--nogpgcheck", "--no-gpgcheck"),
    "apk": ("--allow-untrusted",),
    "zypper": ("--no-gpg-checks", "--no-gpgcheck"),
}
_RPM_FLAGS = ("--nosignature", "--nogpgcheck", "--nodigest", "--nofiledigest")
_OFF_SETTINGS = (
    "acquire::allowinsecurerepositories=true",
    "acquire::allowinsecurerepositories=1",
    "apt::get::allowunauthenticated=true",
    "apt::get::allowunauthenticated=1",
    "gpgcheck=0",
    "gpgcheck=false",
    "repo_gpgcheck=0",
    "[trusted=yes]",
    "trusted=yes",
)


@rule(
    code="IG310",
    name="package-signature-check-disabled",
    severity="high",
    kinds=("image_build",),
    tags=("dockerfile", "supply-chain"),
    references={"checkov": ["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"]},
)
def check(resource, options):
    """Package signature verification is turned off.

    ## What it checks
    `apt-get`/`apt` with `--allow-unauthenticated`, `--allow-insecure-repositories` or
    `--force-yes`; `yum`/`dnf`/`microdnf` with `--nogpgcheck`; `rpm` with
    `--nosignature`/`--nodigest`/`--nogpgcheck`; `apk --allow-untrusted`; `zypper --no-gpg-checks`;
    and settings written anywhere in a `RUN` step that do the same:
    `Acquire::AllowInsecureRepositories=true`, `gpgcheck=0`, `[trusted=yes]` apt
    sources.

    ## Why it matters
    Package signatures are what proves a package comes from its publisher. Without
    them a mirror, proxy or attacker on the path can serve modified packages, which
    then run as root during the build.

    ## How to fix
    Import the repository's signing key (`signed-by=` for apt, `rpm --import` for
    rpm-based systems, the `.rsa.pub` key for apk) instead of turning checks off.

    ## Example
    Fails: `RUN apt-get install -y --allow-unauthenticated curl`. Passes:
    `RUN apt-get install -y --no-install-recommends curl`.
    """
    for _, command in run_commands(resource):
        kind = family(command)
        words = [word.text for word in command.args]
        flags = _FLAGS.get(kind or "", ()) + (_RPM_FLAGS if command.program == "rpm" else ())
        used = next((flag for flag in flags if flag in words), None)
        if used is not None:
            yield problem(command.at, f"{command.program} {used} turns off package signature verification")
            continue
        setting = _setting_in(words)
        if setting is not None:
            yield problem(command.at, f"{setting} turns off package signature verification")


def _setting_in(words: list[str]) -> str | None:
    """The first setting that turns checks off, in any word (an echo into a config
    file, a --setopt, an -o option)."""
    for word in words:
        lowered = word.lower().replace(" ", "")
        if "gpgcheck" in lowered or "trusted" in lowered or "allow" in lowered:
            found = next((setting for setting in _OFF_SETTINGS if setting in lowered), None)
            if found:
                return found
    return None
