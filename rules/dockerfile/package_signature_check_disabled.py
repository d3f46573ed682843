import re

from iacguard import problem, rule
from iacguard.lazy import regex
from iacguard.model import Location

from ._commands import family, run_commands

_FLAGS = {
    "apt": ("--allow-unauthenticated", "--allow-insecure-repositories", "--force-yes"),
    "yum": ("--nogpgcheck", "--no-gpgcheck"),
    "apk": ("--allow-untrusted",),
    "zypper": ("--no-gpg-checks", "--no-gpgcheck"),
}
_RPM_FLAGS = ("--nosignature", "--nogpgcheck", "--nodigest", "--nofiledigest")
# Settings that turn checks off, each a whole key (`repo_gpgcheck` and
# `localpkg_gpgcheck` check other things, and are off by default): in a dnf/yum
# `.repo` file or `--setopt`, an apt `-o` option or `apt.conf` line, a `deb [...]` line.
_OFF_SETTING = regex(
    r"(?<![\w-])(?:(?P<key>gpgcheck)\s*=\s*(?P<value>0|false|no|off)"
    r"|(?P<apt_key>acquire::allowinsecurerepositories|apt::get::allowunauthenticated)(?:\s*=\s*|\s+)\"?(?P<apt_value>true|1|yes)"
    r"|(?P<trusted>trusted=yes))(?![\w-])",
    re.IGNORECASE,
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
    and settings written anywhere in a `RUN` step, or in a heredoc it writes to a file,
    that do the same: `Acquire::AllowInsecureRepositories=true` (as an option or an
    `apt.conf` line), `gpgcheck=0` in a `.repo` file or `--setopt`, `trusted=yes` in
    an apt source. Not `repo_gpgcheck=0` or `localpkg_gpgcheck=0`: packages from the
    repository are still verified. Of a `sed` substitution, only what it writes counts.

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
        found = next(filter(None, (_off_setting(_written(command.program, word)) for word in words)), None)
        if found is not None:
            yield problem(command.at, f"{found[0]} turns off package signature verification")
    for step in resource.value("runs") or ():
        for document in step.documents:
            found = _off_setting(document.text)
            if found is not None:
                line = document.at.line + document.text.count("\n", 0, found[1])
                yield problem(Location(document.at.path, line, 1), f"{found[0]} turns off package signature verification")


def _off_setting(text: str) -> tuple[str, int] | None:
    """The first setting in `text` that turns checks off, and its offset."""
    lowered = text.lower()
    if "gpgcheck" not in lowered and "trusted" not in lowered and "::" not in lowered:
        return None  # most words: none of the settings' names
    match = _OFF_SETTING.search(text)
    if match is None:
        return None
    if match["trusted"]:
        return "trusted=yes", match.start()
    return f"{match['key'] or match['apt_key']}={match['value'] or match['apt_value']}".lower(), match.start()


def _written(program: str, word: str) -> str:
    """What a word of a command writes into a file: of a `sed` script, the
    replacements of its `s/pattern/replacement/` expressions (`;` or lines apart);
    of an `echo -e` or `printf` string, its text with `\\n` and `\\t` as the line
    breaks and tabs they print."""
    if program != "sed":
        return word.replace("\\n", "\n").replace("\\t", "\t") if "\\" in word else word
    replacements = []
    for expression in re.split(r"[;\n]", word):
        expression = expression.strip()
        if len(expression) > 2 and expression[0] == "s" and not expression[1].isalnum():
            parts = expression.split(expression[1])
            if len(parts) >= 3:
                replacements.append(parts[2])
    return "\n".join(replacements)
