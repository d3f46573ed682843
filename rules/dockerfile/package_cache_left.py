from iacguard import declined, problem, rule, safe_fix

from ._commands import family, has_option, is_install, mounted, packages, removes, shipped_runs, subcommand
from ._fixes import add_option, append_command, index_needed_later

# Per family: the in-command option that avoids writing the cache at all, the
# advice to give, and the command a fix appends to the step when the option cannot
# be used.
_CACHES = {
    "apt": (None, "remove /var/lib/apt/lists/* in the same RUN", "rm -rf /var/lib/apt/lists/*"),
    "apk": ("--no-cache", "use apk add --no-cache", "rm -rf /var/cache/apk/*"),
    "yum": (None, "run {program} clean all in the same RUN", "{program} clean all"),
    "zypper": (None, "run zypper clean --all in the same RUN", "zypper clean --all"),
}
# Per program, the folders it keeps its cache in (dnf.conf(5), dnf5-caching(7),
# yum.conf(5), microdnf's and tdnf's sources, zypper(8), apt-get(8)). Which one a
# program uses, the version in the image decides (dnf 4 keeps /var/cache/dnf, dnf5
# /var/cache/libdnf5; `yum` is yum 3, dnf or dnf5): removing or mounting any of
# them counts. apt's downloaded packages (/var/cache/apt/archives) are deleted
# after every install by the Debian and Ubuntu images' own apt configuration
# (`docker-clean`): its lists are what stays.
_FOLDERS = {
    "apt-get": ("/var/lib/apt/lists",),
    "apt": ("/var/lib/apt/lists",),
    "apk": ("/var/cache/apk",),
    "dnf": ("/var/cache/dnf", "/var/cache/libdnf5"),
    "yum": ("/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"),
    "microdnf": ("/var/cache/yum",),
    "tdnf": ("/var/cache/tdnf",),
    "zypper": ("/var/cache/zypp",),
}
# apk keeps its cache in /etc/apk/cache when that folder exists (apk-cache(5)),
# as a mount there makes it: a mount there keeps the cache out too.
_MOUNTED_FOLDERS = {"apk": ("/etc/apk/cache",)}
# What `dnf clean all` cleans, named one by one (dnf(8)).
_DNF_CLEAN_PARTS = frozenset({"packages", "metadata", "dbcache"})


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
    `--no-cache` (or remove `/var/cache/apk`); yum, dnf, microdnf and tdnf must run
    `clean all` (`clean packages` leaves the repository metadata) or remove their cache
    folder (dnf's `/var/cache/dnf`, or dnf5's `/var/cache/libdnf5`; yum's
    `/var/cache/yum`, or dnf's or dnf5's where `yum` is one of them; microdnf's
    `/var/cache/yum`; `/var/cache/tdnf`: which version runs, the image decides, so any
    of a program's folders counts); zypper must run `clean --all` (`-a`: a bare `clean`
    leaves the metadata) or remove `/var/cache/zypp`. Removing the folder, all that is
    in it (`lists/*`) or a folder that holds it (`rm -rf /var/lib/apt`), or emptying it
    with `find ... -delete` (or `-exec rm`), counts; removing some of what is in it (`rm
    -rf /var/lib/apt/lists/partial`, `/var/cache/dnf/*.solv`) or another folder of
    `/var/cache` does not. Relative paths are read from the step's `WORKDIR` and its
    `cd`s. A `--mount` of any type (`cache`, `tmpfs`, `bind`) at the cache folder or one
    that holds it also passes, since what is written under a mount never reaches the
    layer; for apk, so does one at `/etc/apk/cache`, which apk then takes as its cache.
    apt's downloaded packages (`/var/cache/apt/archives`) are not required: the Debian
    and Ubuntu images' own apt configuration deletes them after every install. Builder
    stages whose layers do not ship are not reported. Recommended packages (IG311) and
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
        cleaned: dict[str, bool] = {}  # per program: one walk of the step, not one per install (thousands in one RUN)
        for command in step.commands:
            kind = family(command)
            if kind not in _CACHES or kind in cache_reported:
                continue
            if not (is_install(command) or (kind in ("apt", "apk") and subcommand(command) == "update")):
                continue
            option, advice, _ = _CACHES[kind]
            if option and has_option(command, option):
                continue
            if command.program not in cleaned:
                cleaned[command.program] = _kept_out(step, command.program, kind)
            if cleaned[command.program]:
                continue
            cache_reported.add(kind)
            hint = advice.format(program=command.program)
            yield problem(command.at, f"{command.program} leaves its package cache in the layer; {hint}", fix=_fix(resource, step, command, kind))


def _fix(resource, step, command, kind: str):
    """The option that keeps the cache out, where the reported command takes it (and
    no other command of the step writes the cache); else the cleanup appended, when
    no later step needs the package index (else why not)."""
    option, _, cleanup = _CACHES[kind]
    writers = [other for other in step.commands if family(other) == kind and (is_install(other) or subcommand(other) == "update")]
    if option and is_install(command) and writers == [command]:
        return add_option(step, command, option)
    needed = index_needed_later(resource, step, kind)
    if needed is not None:
        return declined(needed)
    return append_command(step, cleanup.format(program=command.program))


def _kept_out(step, program: str, kind: str) -> bool:
    """True when the step keeps `program`'s cache out of its layer: it removes or
    mounts the cache folder, or cleans the whole cache."""
    folders = _FOLDERS.get(program, ())
    return (
        any(removes(step, folder) or mounted(step, folder) for folder in folders)
        or any(mounted(step, folder) for folder in _MOUNTED_FOLDERS.get(kind, ()))
        or any(family(other) == kind and _cleans_all(other) for other in step.commands)
    )


def _cleans_all(command) -> bool:
    """`dnf clean all` (or `clean packages metadata dbcache`), `zypper clean --all`."""
    verb = subcommand(command)
    if family(command) == "zypper":
        return verb in ("clean", "cc") and has_option(command, "-a", "--all")
    if family(command) == "yum" and verb == "clean":
        named = {word.text for word in packages(command)}
        return "all" in named or _DNF_CLEAN_PARTS <= named
    return False
