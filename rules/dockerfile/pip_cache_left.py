from iacguard import problem, rule, safe_fix

from ._commands import pip_args, shipped_pip_installs, values_set_for
from ._fixes import add_option


@rule(
    code="IG314",
    name="pip-cache-left",
    severity="low",
    kinds=("image_build",),
    tags=("dockerfile", "image-size", "reproducibility"),
    references={"hadolint": ["DL3042"]},
    aliases=("IG308", "package-install-hygiene"),
    fix=safe_fix("dockerfile"),
)
def check(resource, options):
    """A `pip install` leaves pip's download cache in the image.

    ## What it checks
    In stages that end up in the shipped image, every `pip install` (`pip`, `pip3`,
    `python -m pip`) must pass `--no-cache-dir`, unless `PIP_NO_CACHE_DIR` is set (by
    an `ENV` or `ARG` of the stage or of a stage it is built on, in front of the
    command, or by an `export` earlier in the step, these over the stage's: pip turns
    its cache off for any value, `0` and `false` included, but ignores an empty one,
    as it ignores every empty setting) or the step mounts pip's cache
    (`~/.cache/pip`), or the `.cache` folder holding it (`--mount=type=cache`, or a
    `tmpfs` or `bind` mount, whose writes do not reach the layer either; a mount
    elsewhere, a secret `pip.conf` say, leaves the cache in the layer). Builder stages whose layers do not ship are not
    reported.

    It is a cache left in a layer like those IG305 reports, and shares IG305's
    `image-size` tag, but stays a rule of its own: it was reported as IG308
    (`package-install-hygiene`) before, and both still select, ignore and suppress
    it. Folded into IG305 it would slip out from under every configuration and
    suppression that names IG308, or IG305 would have to answer to IG308 and take
    the apt, apk, yum and zypper caches along.

    ## Why it matters
    pip keeps every wheel and source archive it downloads, and every wheel it
    builds, under `~/.cache/pip`: in an image that is dead weight in the layer.

    ## How to fix
    `pip install --no-cache-dir ...`, `ENV PIP_NO_CACHE_DIR=1` in the stage,
    or `RUN --mount=type=cache,target=/root/.cache/pip pip install ...`.

    The fix (safe: the same packages are installed) adds `--no-cache-dir` after
    `install`.

    ## Example
    Fails: `RUN pip install -r requirements.txt`. Passes:
    `RUN pip install --no-cache-dir -r requirements.txt`.
    """
    environment = resource.value("environment") or {}
    for step, command in shipped_pip_installs(resource):
        # what the step sets for the command comes over the stage's environment
        if any(_holds_pip_cache(target) for target in step.mounts) or _turns_cache_off({**environment, **values_set_for(step, command)}):
            continue
        if not any(word.text == "--no-cache-dir" for word in pip_args(command)):
            yield problem(command.at, "pip install without --no-cache-dir keeps its download cache in the layer", fix=add_option(step, command, "--no-cache-dir"))


def _turns_cache_off(variables: dict) -> bool:
    """`PIP_NO_CACHE_DIR` set to a value: pip drops configuration values that are
    empty (`ConfigOptionParser`), so an empty one leaves the cache on. A value not
    known may be anything, and counts."""
    return variables.get("PIP_NO_CACHE_DIR", "") != ""


def _holds_pip_cache(target: str) -> bool:
    """A mount at pip's cache (`~/.cache/pip`, in any user's home) or at the folder
    holding it (`/root/.cache`); one elsewhere (a secret `/etc/pip.conf`, a folder of
    wheels) leaves the cache in the layer."""
    return target.rstrip("/").endswith(("/.cache/pip", "/.cache"))
