from iacguard import problem, rule

from ._commands import has_option, packages, shipped_pip_installs

# PEP 440 comparison operators and PEP 508's direct reference (`name @ url`).
_PIN_OPERATORS = ("==", ">=", "<=", "~=", "!=", "<", ">", "@")
_NOT_PACKAGES = ("-", ".", "/", "~", "$")


@rule(
    code="IG313",
    name="pip-install-unpinned",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "reproducibility"),
    references={"hadolint": ["DL3013"]},
    aliases=("IG308", "package-install-hygiene"),
)
def check(resource, options):
    """A `pip install` names packages without a version.

    ## What it checks
    In stages that end up in the shipped image, every package named on a
    `pip install` (`pip`, `pip3`, `python -m pip`) must carry a version specifier
    (`==`, `>=`, `~=`, ... or a direct `@` reference). Requirement files, local
    paths, archives and URLs are not package names and are not reported, nor is an
    install given a constraints file (`-c`, `--constraint`), which may pin what it
    names. Builder stages whose layers do not ship are not reported. This check was part of IG308
    (`package-install-hygiene`); both still select, ignore and suppress it.

    ## Why it matters
    Without a version every build installs whatever is newest on the index that day,
    so two builds of the same commit differ, and an image breaks (or takes in a
    compromised release) without any change to its code.

    ## How to fix
    Pin the version, `pip install flask==3.0.3`, or install from a requirements or
    constraints file that pins them.

    ## Example
    Fails: `RUN pip install flask`. Passes: `RUN pip install flask==3.0.3` and
    `RUN pip install -r requirements.txt`.
    """
    for _, command in shipped_pip_installs(resource):
        if has_option(command, "-c", "--constraint"):  # the constraints file may pin them: not known here
            continue
        unpinned = [word.text for word in packages(command) if _is_unpinned(word)]
        if unpinned:
            yield problem(command.at, f"pip install of {', '.join(unpinned)} without a version pin")


def _is_unpinned(word) -> bool:
    text = word.text
    if not word.literal or not text or text.startswith(_NOT_PACKAGES) or "://" in text:
        return False
    if text.endswith((".whl", ".tar.gz", ".zip", ".txt")):
        return False
    return not any(operator in text for operator in _PIN_OPERATORS)
