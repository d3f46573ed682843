from iacguard import problem, rule

from ._commands import run_commands


@rule(
    code="IG312",
    name="apt-instead-of-apt-get",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "reproducibility"),
    references={"hadolint": ["DL3027"], "checkov": ["CKV_DOCKER_9"]},
    aliases=("IG308", "package-install-hygiene"),
)
def check(resource, options):
    """`apt` is used in a build script where `apt-get` belongs.

    ## What it checks
    In stages that end up in the shipped image, every `RUN` command whose program is
    `apt` (any subcommand). Builder stages whose layers do not ship are not reported.
    This check was part of IG308 (`package-install-hygiene`); both still select,
    ignore and suppress it.

    ## Why it matters
    `apt` is the command line for people at a terminal: its output and behaviour may
    change between releases, and it warns that it "does not have a stable CLI
    interface". `apt-get` and `apt-cache` are the interface meant for scripts.

    ## How to fix
    Use `apt-get` (and `apt-cache` for searches) in `RUN` steps.

    ## Example
    Fails: `RUN apt update && apt install -y curl`. Passes:
    `RUN apt-get update && apt-get install -y --no-install-recommends curl`.
    """
    for _, command in run_commands(resource, shipped_only=True):
        if command.program == "apt":
            yield problem(command.at, "apt is meant for interactive use; use apt-get in scripts")
