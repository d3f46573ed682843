"""The two edits the build-hygiene fixes make to a `RUN` step: an option put after a
command's subcommand, and a command appended to the step. Shared by the IG3xx rules
that fix what they find, so each shell edit is written once.

Both edit only where the file's text is known word by word: a step in exec form
(`RUN ["apt-get", ...]`) locates its words at the instruction, and a heredoc script
has no end the step can be continued at, so neither gets a fix.
"""

from __future__ import annotations

from iacguard import Edit, Fix
from iacguard.model import Resource, RunStep
from iacguard.shell import Command, Word

from ._commands import family, pip_args, refreshes, subcommand_word

# A script ending in one of these cannot simply be continued with `&& command`.
_OPEN_ENDINGS = (";", "&", "|", "\\", "(", "{")


def add_option(step: RunStep, command: Command, option: str) -> Fix | None:
    """`option` put right after the command's subcommand (`apt-get install
    --no-install-recommends -y curl`), before the word that follows it."""
    args = pip_args(command)
    args = command.args if args is None else args
    verb = subcommand_word(command)
    if verb is None:
        return None
    following = args.index(verb) + 1
    if following >= len(args) or not _located(step, command, args[following]):
        return None
    at = args[following].at
    return Fix(f"Add {option}", (Edit.insert(at.line, at.column, option + " "),))


def append_command(step: RunStep, text: str) -> Fix | None:
    """`&& text` appended at the end of the step's script."""
    script = step.script.rstrip()
    if step.end is None or script.endswith(_OPEN_ENDINGS):
        return None
    return Fix(f"Append {text}", (Edit.insert(step.end.line, step.end.column, f" && {text}"),))


def index_needed_later(resource: Resource, step: RunStep, kind: str) -> str | None:
    """Why removing the package index of `kind` at the end of `step` may break the
    build, if it may: a later `RUN` of the stage runs that package manager, or a
    later stage that sees the stage's files (built on it, copying or mounting from
    it) runs it before refreshing the index (`apt-get install` without `apt-get
    update` installs from the lists it inherits, and finds nothing without them).
    Whether yum, dnf, apk or zypper fetch a missing index on their own depends on
    a repository configuration the Dockerfile does not show, so all count."""
    runs = list(resource.value("runs") or ())
    later = runs[runs.index(step) + 1:] if step in runs else runs
    used = next((command for run in later for command in run.commands if family(command) == kind), None)
    if used is not None:
        return f"a later RUN of the stage runs {used.program}, which may need the package index"
    for stage, stage_runs in (resource.value("later_stages") or {}).items():
        first = next((command for run in stage_runs for command in run.commands if family(command) == kind), None)
        if first is not None and not refreshes(first):
            return f"the later stage {stage} runs {first.program} without refreshing the package index it sees from this stage"
    return None


def _located(step: RunStep, command, word: Word) -> bool:
    """True when the word's position is its own: not in the exec form or a heredoc
    (whose scripts have no `end`: the step's position stands for theirs), nor in a
    `sh -c` script (whose words all stand at the script's argument)."""
    position = (word.at.line, word.at.column)
    return step.end is not None and sum((other.at.line, other.at.column) == position for other in command.argv) == 1
