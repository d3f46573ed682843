
from iacguard import problem, rule
from iacguard.lazy import regex

from ._commands import positionals, run_commands

_OCTAL = regex(r"[0-7]{3,4}")
_SYMBOLIC = regex(r"([ugoa]*)([-+=])([rwxXst]*)")


@rule(
    code="IG307",
    name="world-writable-permissions",
    severity="medium",
    kinds=("image_build",),
    tags=("dockerfile", "permissions"),
)
def check(resource, options):
    """Files or directories are made writable by every user.

    ## What it checks
    `chmod` in `RUN` steps (also run by `find -exec` or `xargs`), and `--chmod` on
    `COPY`/`ADD`, with a mode that grants
    write permission to others: octal modes such as `777`, `666`, `0757`, and
    symbolic modes such as `o+w` or `a+rwx`. Directories with the sticky bit
    (`1777`, `+t`, the usual mode of `/tmp`) are allowed.

    ## Why it matters
    Any process in the container, whatever its user, can replace world-writable
    programs, configuration or data: a compromise of one low-privilege process
    becomes a compromise of everything that reads those files.

    ## How to fix
    Give ownership to the user that needs to write (`COPY --chown=app:app`,
    `chown -R app /data`) and use modes like `755`/`644`, or `770` for a shared group.

    ## Example
    Fails: `RUN chmod -R 777 /app`. Passes: `RUN chown -R app:app /app && chmod -R 755 /app`.
    """
    for _, command in run_commands(resource):
        if command.program != "chmod":
            continue
        modes = positionals(command.args, frozenset({"--reference"}))
        if modes and _world_writable(modes[0].text):
            yield problem(command.at, f"chmod {modes[0].text} makes files writable by every user")
    for step in resource.value("copies") or ():
        mode = step.flags.get("chmod")
        if mode and _world_writable(mode):
            yield problem(step.location, f"{step.instruction} --chmod={mode} makes files writable by every user")


def _world_writable(mode: str) -> bool:
    if _OCTAL.fullmatch(mode):
        digits = mode.zfill(4)
        sticky = int(digits[0]) & 1
        return bool(int(digits[3]) & 2) and not sticky
    clauses = [match.groups() for match in map(_SYMBOLIC.fullmatch, mode.split(",")) if match]
    if any(operator in "+=" and "t" in permissions for _, operator, permissions in clauses):
        return False  # sticky, also in a clause of its own (`o+t,o+w`)
    return any(operator in "+=" and "w" in permissions and ("o" in who or "a" in who) for who, operator, permissions in clauses)
