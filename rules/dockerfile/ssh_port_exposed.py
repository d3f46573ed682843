from iacguard import problem, rule


@rule(
    code="IG304",
    name="ssh-port-exposed",
    severity="medium",
    kinds=("image_build", "container"),
    formats=("dockerfile", "compose"),
    tags=("dockerfile", "network"),
    references={"checkov": ["CKV_DOCKER_1"], "trivy": ["DS004"]},
)
def check(resource, options):
    """The image exposes port 22 (SSH).

    ## What it checks
    `EXPOSE` entries for TCP port 22, alone or inside a range (`EXPOSE 20-30`).
    Ports given by unknown variables are not reported.

    ### Docker Compose
    A service that publishes its container port 22 (`ports: ["2222:22"]`, or the
    long syntax with `target: 22`) on an address other than loopback: the SSH
    server is then reachable from outside the host.

    ## Why it matters
    An SSH server in a container is a second, long-lived way in, with its own keys or
    passwords to manage and leak. Containers are replaced, not logged into; debugging
    access belongs to the orchestrator (`kubectl exec`, `az container exec`).

    ## How to fix
    Remove the SSH server and the `EXPOSE 22`; use the platform's exec or debug
    facilities instead.

    ## Example
    Fails: `EXPOSE 22` and `EXPOSE 22/tcp`. Passes: `EXPOSE 8080`.
    """
    if resource.kind == "container":
        for port in resource.value("published_ports"):
            if port.value == 22:
                yield problem(port, "container port 22 is published on the host, so its SSH server is reachable from outside")
        return
    for port in resource.value("exposed_ports") or ():
        if isinstance(port.value, str) and _includes_ssh(port.value):
            yield problem(port, f"EXPOSE {port.value} publishes the SSH port")


def _includes_ssh(spec: str) -> bool:
    number, _, protocol = spec.strip().partition("/")
    if protocol and protocol.lower() != "tcp":
        return False
    low, _, high = number.partition("-")
    if not low.isdigit() or (high and not high.isdigit()):
        return False
    return int(low) <= 22 <= int(high or low)
