from iacguard import problem, rule
from iacguard.shell import SHELLS, reads_script_from_input

_DOWNLOADERS = frozenset({"curl", "wget"})
_SOURCING = SHELLS | {"source", ".", "eval"}


@rule(
    code="IG302",
    name="remote-script-piped-to-shell",
    severity="high",
    kinds=("image_build",),
    tags=("dockerfile", "supply-chain"),
    references={},
)
def check(resource, options):
    """A script downloaded with curl or wget is run by a shell without verification.

    ## What it checks
    `RUN` commands where curl or wget output is piped into a shell (`curl ... | sh`,
    `wget -qO- ... | sudo bash`), or fed to one by substitution (`sh -c "$(curl ...)"`,
    `bash <(curl ...)`, `source <(curl ...)`, `eval "$(curl ...)"`).

    ## Why it matters
    The script is executed exactly as the server (or anyone in between) sends it, with
    the build's privileges, and nothing records what ran. A compromised or changed
    install script silently changes every image built after it.

    ## How to fix
    Download to a file, verify a published checksum or signature, then run it; or use
    the distribution's package.

    ## Example
    Fails: `RUN curl -fsSL https://get.example.sh | sh`. Passes:
    `RUN curl -fsSLo install.sh https://get.example.sh && echo "<sha256>  install.sh" | sha256sum -c && sh install.sh`.
    """
    for step in resource.value("runs") or ():
        for pipeline in step.pipelines:
            downloader = next((command for command in pipeline if command.program in _DOWNLOADERS), None)
            if downloader is not None:
                after = pipeline[pipeline.index(downloader) + 1 :]
                shell = next((c for c in after if reads_script_from_input(c)), None)
                if shell is not None:
                    yield problem(downloader.at, f"{downloader.program} output is piped into {shell.program}: the script runs unverified")
                    continue
            for command in pipeline:
                if command.program in _SOURCING and any(_substitutes_download(word.text) for word in command.args):
                    yield problem(command.at, f"{command.program} runs a script downloaded on the fly: the script runs unverified")


def _substitutes_download(text: str) -> bool:
    """`$(curl ...)`, `<( wget ...)`, `` `curl ...` ``: a word that is a download."""
    opening = next((opening for opening in ("$(", "<(", "`") if text.startswith(opening)), None)
    return opening is not None and text[len(opening):].lstrip().startswith(tuple(_DOWNLOADERS))
