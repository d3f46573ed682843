from iacguard import problem, rule

from ._commands import cleans, family, is_install, shipped_runs, subcommand

# Per family: the cache directory that must be removed (or cache-mounted), the
# in-command option that avoids writing it at all, and the advice to give.
_CACHES = {
    "apt": ("/var/lib/apt/lists", None, "remove /var/lib/apt/lists/* in the same RUN"),
    "apk": ("/var/cache/apk", "--no-cache", "use apk add --no-cache"),
    "yum": ("/var/cache/", None, "run {program} clean all in the same RUN"),
    "zypper": ("/var/cache/zypp", None, "run zypper clean in the same RUN"),
}
_CLEAN_COMMANDS = {"yum": "clean", "zypper": "clean"}


@rule(
    code="IG305",
    name="package-cache-left",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "image-size"),
    references={"hadolint": ["DL3009", "DL3019", "DL3032", "DL3036", "DL3040"], "trivy": ["DS015", "DS019", "DS020", "DS025", "DS027"]},
)
def check(resource, options):
    """A package install leaves the package manager's cache in the image.

    ## What it checks
    In stages that end up in the shipped image (the final stage and the stages it is
    built on), each `RUN` step that installs packages or updates their index:
    apt-get/apt must remove `/var/lib/apt/lists` in the same step; apk must use
    `--no-cache` (or remove `/var/cache/apk`); yum/dnf/microdnf must run `clean all`
    (or remove `/var/cache/...`); zypper must run `clean`. Removing a folder that
    holds the cache (`rm -rf /var/lib/apt`) counts, and relative paths are read from
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

    ## Example
    Fails: `RUN apt-get update && apt-get install -y curl`. Passes the line above.
    """
    for step in shipped_runs(resource):
        cache_reported: set[str] = set()
        for command in step.commands:
            kind = family(command)
            if kind not in _CACHES or kind in cache_reported:
                continue
            if not (is_install(command) or (kind in ("apt", "apk") and subcommand(command) == "update")):
                continue
            cache, option, advice = _CACHES[kind]
            if (option and command.has_flag(option)) or cleans(step, cache) or _runs_clean(step, kind):
                continue
            cache_reported.add(kind)
            hint = advice.format(program=command.program)
            yield problem(command.at, f"{command.program} leaves its package cache in the layer; {hint}")


def _runs_clean(step, kind: str) -> bool:
    verb = _CLEAN_COMMANDS.get(kind)
    return verb is not None and any(family(c) == kind and subcommand(c) == verb for c in step.commands)
