from iacguard import problem, rule

from ._commands import family, is_install, packages, pip_args, run_commands

_YES = {"apt": ("-y", "--yes", "--assume-yes", "-qq"), "yum": ("-y", "--assumeyes"), "zypper": ("-n", "--non-interactive", "-y", "--no-confirm")}
_PIN_OPERATORS = ("==", ">=", "<=", "~=", "!=", "<", ">", "@")
_NOT_PACKAGES = ("-", ".", "/", "~", "$")


@rule(
    code="IG308",
    name="package-install-hygiene",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "reproducibility"),
    references={"hadolint": ["DL3013", "DL3014", "DL3027", "DL3030", "DL3034", "DL3038", "DL3042"], "checkov": ["CKV_DOCKER_9"], "trivy": ["DS021"]},
)
def check(resource, options):
    """A package installation can hang, drift or bloat the image.

    ## What it checks
    In `RUN` steps: `apt` used instead of `apt-get` (its interface is for people and
    may change); `apt-get`, `yum`/`dnf`/`microdnf` or `zypper` installs without the
    non-interactive flag (`-y`, `-n`); `pip install` of packages without a version
    specifier (requirement files, local paths and URLs are not packages); `pip install`
    without `--no-cache-dir` unless `PIP_NO_CACHE_DIR` is set or the pip cache is a
    cache mount.

    ## Why it matters
    An interactive prompt hangs an unattended build; unpinned packages make every
    build install whatever is newest, so images drift and break without a code
    change; pip's download cache adds size to the layer for nothing.

    ## How to fix
    `apt-get install -y ...`, `dnf install -y ...`,
    `pip install --no-cache-dir flask==3.0.3` (or a pinned requirements file).

    ## Example
    Fails: `RUN apt install curl` and `RUN pip install flask`. Passes:
    `RUN apt-get install -y --no-install-recommends curl` and
    `RUN pip install --no-cache-dir -r requirements.txt`.
    """
    pip_cache_off = any(env.name.upper() == "PIP_NO_CACHE_DIR" for env in resource.value("env") or ())
    for step, command in run_commands(resource):
        kind = family(command)
        if kind == "apt" and command.program == "apt":
            yield problem(command.at, "apt is meant for interactive use; use apt-get in scripts")
        if kind in _YES and is_install(command) and not command.has_flag(*_YES[kind]):
            yield problem(command.at, f"{command.program} install without {_YES[kind][0]} waits for confirmation")
        if kind != "pip" or not is_install(command):
            continue
        unpinned = [word.text for word in packages(command) if _is_unpinned(word)]
        if unpinned:
            yield problem(command.at, f"pip install of {', '.join(unpinned)} without a version pin")
        cache_mounted = any("pip" in target for target in step.cache_mounts)
        if not pip_cache_off and not cache_mounted and not _has(pip_args(command), "--no-cache-dir"):
            yield problem(command.at, "pip install without --no-cache-dir keeps its download cache in the layer")


def _is_unpinned(word) -> bool:
    text = word.text
    if not word.literal or not text or text.startswith(_NOT_PACKAGES) or "://" in text:
        return False
    if text.endswith((".whl", ".tar.gz", ".zip", ".txt")):
        return False
    return not any(operator in text for operator in _PIN_OPERATORS)


def _has(args, flag: str) -> bool:
    return any(word.text == flag for word in args or ())
