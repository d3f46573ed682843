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
    A service that publishes its container port 22 over TCP on an address other
    than loopback, in any form: the short syntax (`"22"` on a port Docker picks,
    `"2222:22"`, `"0.0.0.0::22"`, `"22/tcp"`, a range that includes it such as
    `"2220-2230:20-30"`) or the long one (`target: 22`, with `published` a port or
    a range). The SSH server is then reachable from outside the host. A host
    address or protocol given by a variable without a value leaves it unreported,
    and so does a host address that is no IP address, which docker compose
    rejects (a warning, IG003, says so).

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
            if not port.unknown and _includes_ssh(port.value):
                ports = "container port 22 is" if port.value.partition("/")[0] == "22" else f"container ports {port.value}, 22 among them, are"
                yield problem(port, f"{ports} published on the host, so its SSH server is reachable from outside")
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
