"""Files written for the user: the report (`-o`) and the baseline (`--write-baseline`).

Both are claimed before the scan starts, so a missing folder, a folder given as the
file, or a place that cannot be written is a usage error (exit 2) at once instead of
after minutes of scanning. The content goes to a temporary file beside the target
and is renamed over it only when complete: a crash, a signal or a reporter error
never leaves a truncated report or destroys the previous one. A device or a pipe
(`-o /dev/null`, `-o /dev/stdout`) cannot be replaced and is written as it is.

An output never replaces a file iacguard reads. Files known by what they are are
refused when claimed (`claim`), whether this scan reads them or a later one will: a
file some format scans, any file of a Helm chart (a chart is rendered whole), and
the inputs known by their names (`READ_BY_NAME`). Any other file is refused for
being read (`refuse_read`): before the scan, those it is known to read (the files
to scan, the config, the baselines, the files named on the command line, the
cache's); when it ends, before anything is written, every file it read
(`ScanResult.reads`: a Compose `env_file`, a Kustomize generator's file, a module's
file), whatever its name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from iacguard.config import CONFIG_FILES
from iacguard.errors import ConfigError
from iacguard.inputs import identity
from iacguard.parsers.arm import PARAMETERS_SUFFIX
from iacguard.parsers.compose import ENV_FILE
from iacguard.parsers.terraform import VAR_FILE_SUFFIXES

# Files that iacguard reads without scanning them, by how their names end, and what
# such a file is; an end written with a leading `/` is a whole name.
READ_BY_NAME = {
    **dict.fromkeys(VAR_FILE_SUFFIXES, "a Terraform variable file"),
    ".tftpl": "a Terraform template",  # the name Terraform gives the files `templatefile` reads
    PARAMETERS_SUFFIX: "a parameter file",
    ENV_FILE: "an environment file",  # `.env`, and the `web.env` an `env_file` names
    ".gitignore": "an ignore file",  # read by discovery in every folder it walks
    **{f"/{name}": "a config file" for name in CONFIG_FILES},
}


class PendingOutput:
    """A file that will be replaced atomically once its content is known; `option`
    is what named it (`-o`, `--format`, `--write-baseline`)."""

    def __init__(self, path: Path, what: str, option: str):
        self.path = path
        self.what = what
        self.option = option
        self.temporary: Path | None = None
        if path.is_dir():
            raise ConfigError(f"cannot write {what} {path}: it is a directory")
        if path.exists() and not path.is_file():  # /dev/null, /dev/stdout, a pipe: written as they are
            if not os.access(path, os.W_OK):
                raise ConfigError(f"cannot write {what} {path}: permission denied")
            return
        import tempfile  # here: it loads shutil and its compression modules, which a scan to the terminal never needs

        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as error:
            raise ConfigError(f"cannot write {what} {path}: {error.strerror or error}") from None
        os.close(descriptor)
        self.temporary = Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.temporary, 0o666 & ~umask)  # what a plain open() would have given, not mkstemp's 0600

    def commit(self, text: str) -> None:
        try:
            # Escaped, not fatal: a file name that is not UTF-8 or a lone surrogate from
            # a scanned file must not cost the whole report.
            with open(self.temporary or self.path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as handle:
                handle.write(text)
            if self.temporary:
                os.replace(self.temporary, self.path)
        except OSError as error:
            self.discard()
            raise ConfigError(f"cannot write {self.what} {self.path}: {error.strerror or error}") from None

    def discard(self) -> None:
        try:
            if self.temporary:
                self.temporary.unlink()
        except OSError:
            pass


def claim(destination: Path, option: str, what: str, discovery) -> PendingOutput:
    """Claim an output file before the scan: a usage error when the file there is one
    iacguard reads by what it is (see the module notes), or, for a baseline
    (`what`), a file other than a baseline."""
    from iacguard.baseline import is_baseline

    if destination.is_file():  # only a file has content to lose (`-o /dev/null` is no input)
        kind = _read_as(destination, discovery)
        if kind is not None:
            raise ConfigError(f"{option} {destination}: refusing to overwrite {kind}")
        if what == "baseline" and destination.stat().st_size and not is_baseline(destination):
            raise ConfigError(f"{option} {destination}: the file exists and is not an iacguard baseline; refusing to overwrite it")
    return PendingOutput(destination, what, option)


def _read_as(path: Path, discovery) -> str | None:
    """What the file at `path` is, when it is a kind of file that iacguard reads
    (see the module notes); else None."""
    if discovery.format_of(path) is not None:
        return "an infrastructure-as-code file"
    if discovery.chart_file(path) is not None:
        return "a file of a Helm chart"
    name = f"/{path.name}"
    return next((kind for end, kind in READ_BY_NAME.items() if name.endswith(end)), None)


def refuse_read(outputs: Iterable[PendingOutput | None], read: Iterable[str | os.PathLike]) -> None:
    """A usage error when one of `outputs` would replace one of the files `read`
    (links followed, as a file read is whichever name led to it)."""
    replaced = {identity(output.path): output for output in outputs if output is not None and output.path.is_file()}
    if not replaced:
        return
    for path in read:
        output = replaced.get(identity(path))
        if output is not None:
            raise ConfigError(f"{output.option} {output.path}: refusing to overwrite a file that this scan reads")
