from iacguard import problem, rule



@rule(
    code="IG303",
    name="sudo-in-run",
    severity="medium",
    kinds=("image_build",),
    tags=("dockerfile",),
    references={"hadolint": ["DL3004"], "checkov": ["CKV2_DOCKER_1"], "trivy": ["DS010"]},
)
def check(resource, options):
    """`sudo` is used in a `RUN` step.

    ## What it checks
    Commands in `RUN` steps that are run through `sudo` (also after `env` or other
    wrappers, and inside `sh -c` scripts); one finding per step, at the first one.

    ## Why it matters
    Build steps already run as the current `USER`; switching with sudo hides which
    user really runs what, needs sudo installed and configured in the image (itself a
    privilege escalation path at run time), and behaves unpredictably without a TTY.

    ## How to fix
    Switch users explicitly: `USER root` for the steps that need it, then back to the
    unprivileged user. Remove the sudo package from the image.

    ## Example
    Fails: `RUN sudo apt-get install -y curl`. Passes: `USER root`,
    `RUN apt-get install -y curl`, `USER app`.
    """
    for step in resource.value("runs") or ():
        for command in step.commands:
            sudo = next((word for word in command.wrappers if word.text.rsplit("/", 1)[-1] == "sudo"), None)
            if sudo is not None:
                yield problem(sudo.at, f"sudo runs {command.program or 'a command'} in a build step; use USER instead")
                break
