from iacguard import declined, problem, rule, safe_fix

from ._commands import cleans, family, is_install, shipped_runs, subcommand
from ._fixes import add_option, append_command, index_needed_later

# Per family: the cache directory that must be removed (or cache-mounted), the
# in-command option that avoids writing it at all, the advice to give, and the
# command a fix appends to the step when the option cannot be used.
_CACHES = {
    "apt": ("/var/lib/apt/lists", None, "remove /var/lib/apt/lists/* in the same RUN", "rm -rf /var/lib/apt/lists/*"),
    "apk": ("/var/cache/apk", "--no-cache", "use apk add --no-cache", "rm -rf /var/cache/apk/*"),
    "yum": ("/var/cache/", None, "run {program} clean all in the same RUN", "{program} clean all"),
    "zypper": ("/var/cache/zypp", None, "run zypper clean in the same RUN", "zypper clean --all"),
}
_CLEAN_COMMANDS = {"yum": "clean", "zypper": "clean"}


@rule(
    code="IG305",
    name="package-cache-left",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "image-size"),
    references={"hadolint": ["DL3009", "DL3019", "DL3032", "DL3036", "DL3040"], "trivy": ["DS015", "DS019", "DS020", "DS025", "DS027"]},
    fix=safe_fix("dockerfile"),
)
def check(resource, options):
    """A package install leaves the package manager's cache in the image.

    ## What it checks
    In stages that end up in the shipped image (the final stage and the stages it is
    built on), each `RUN` step that installs packages or updates their index:
    apt-get/apt must remove `/var/lib/apt/lists` in the same step; apk must use
    `--no-cache` (or remove `/var/cache/apk`); yum/dnf/microdnf must run `clean all`
    (or remove `/var/cache/...`); zypper must run `clean`. Removing a folder that
    holds the cache (`rm -rf /var/lib/apt`) or emptying it with `find ... -delete`
    (or `-exec rm`) counts, and relative paths are read from
    the step's `WORKDIR` and its `cd`s. A `--mount=type=cache` over the cache
    directory also passes, since its contents never reach a layer. Builder stages
    whose layers do not ship are not reported. Recommended packages (IG311) and
    pip's cache (IG314) are rules of their own.

    ## Why it matters
    Package indexes and caches add tens of megabytes to every image. A cleanup in a
    later `RUN` does not help: the earlier layer still holds the files.

    ## How to fix
    Install and clean in one step:
    `RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*`,
    or `RUN apk add --no-cache curl`.

    The fix (safe: only the cache goes, never a package) passes `--no-cache` to
    `apk add`, and otherwise appends the cleanup to the step
    (`&& rm -rf /var/lib/apt/lists/*`, `&& dnf clean all`, `&& zypper clean --all`).
    It is not offered when a later `RUN` of the stage runs the same package manager,
    which may need the index the cleanup removes, nor when a later stage that sees
    the stage's files (built on it, directly or through other stages, or copying or
    mounting from it) runs it before refreshing the index (`apt-get install` with
    no `apt-get update` installs from the lists it inherits); `iacguard fix` lists
    the finding with that reason. Nor is it offered for steps in exec form or
    heredocs. The finding stands all the same: the index is in a layer of the
    shipped image; refresh it in the later stage and clean up in both.

    ## Example
    Fails: `RUN apt-get update && apt-get install -y curl`. Passes the line above.
    """
    for step in shipped_runs(resource):
        cache_reported: set[str] = set()
        cleaned: dict[str, bool] = {}  # per package manager: one walk of the step, not one per install (thousands in one RUN)
        for command in step.commands:
            kind = family(command)
            if kind not in _CACHES or kind in cache_reported:
                continue
            if not (is_install(command) or (kind in ("apt", "apk") and subcommand(command) == "update")):
                continue
            cache, option, advice, cleanup = _CACHES[kind]
            if option and command.has_flag(option):
                continue
            if kind not in cleaned:
                cleaned[kind] = cleans(step, cache) or _runs_clean(step, kind)
            if cleaned[kind]:
                continue
            cache_reported.add(kind)
            hint = advice.format(program=command.program)
            yield problem(command.at, f"{command.program} leaves its package cache in the layer; {hint}", fix=_fix(resource, step, command, kind))


def _fix(resource, step, command, kind: str):
    """The option that keeps the cache out, where the reported command takes it (and
    no other command of the step writes the cache); else the cleanup appended, when
    no later step needs the package index (else why not)."""
    option, cleanup = _CACHES[kind][1], _CACHES[kind][3]
    writers = [other for other in step.commands if family(other) == kind and (is_install(other) or subcommand(other) == "update")]
    if option and is_install(command) and writers == [command]:
        return add_option(step, command, option)
    needed = index_needed_later(resource, step, kind)
    if needed is not None:
        return declined(needed)
    return append_command(step, cleanup.format(program=command.program))


def _runs_clean(step, kind: str) -> bool:
    verb = _CLEAN_COMMANDS.get(kind)
    return verb is not None and any(family(c) == kind and subcommand(c) == verb for c in step.commands)
