"""Docker Compose services as `pod` and `container` resources, so that every rule
about a pod or a container reads a service as it reads a Kubernetes workload.

A service is one pod (what it shares with the host: `network_mode`, `pid` and `ipc`
set to `host`, bind mounts) and one container (image, user, privileges,
capabilities, `security_opt`, `read_only`, limits and reservations, environment,
ports, healthcheck). Docker's defaults count where the file says nothing: the
default seccomp and AppArmor profiles apply unless `security_opt` says
`unconfined`; without `user:` the container runs as its image's user, which the
image decides (unknown here); without `healthcheck:` the image's own
`HEALTHCHECK` applies (unknown too). A service that builds its image (`build:`) is
not checked for its image reference: the tag names what it builds. A service
with neither `image` nor `build` runs no container: it is a fragment of a project
merged with `-f`, and is not checked (a note says so).

Locations: a finding about a value points at the value, in the file that wrote it
(an override file, the file of an extended service, an included file, the `.env`
line of a variable that gives the whole value, by way of the line that uses it);
one about a missing setting points at the service's name in the first file that
defines the service (`Service.head`), never in an override file that only adds to
it. Findings name the setting as Compose spells it (`cap_drop`,
`deploy.resources.limits.cpus`, ...).

A service whose base (`extends`) could not be read is judged on what it writes
itself: a setting it leaves out may come from the base, and is Unknown, and so
is `cap_drop` unless it drops ALL, since Compose joins the base's list with the
service's. A rule about a missing setting stays silent; `privileged: true`
written in the service is reported.

Bind mounts are host paths when they reach outside the project folder: an absolute
path, `~`, or a relative path leading out of the folder. The project's own folder
(`./src:/app`) is how Compose projects share their code with a container in
development, and is not reported.
"""

from __future__ import annotations

import ipaddress
import os
import posixpath
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from iacguard.diagnostics import CONTENT_WARNING
from iacguard.evaluators.compose import Project, Service, as_mapping, listed_at
from iacguard.formats import ParsedFile, ScanContext
from iacguard.image import image_or_unknown
from iacguard.lazy import regex
from iacguard.model import Attr, EnvVar, Location, Resource, Unknown
from iacguard.normalizers.dockerfile import stage_key
from iacguard.normalizers.kubernetes import as_filled
from iacguard.parsers.compose import claims_by_name, dockerfile_of, is_override, is_remote_context
from iacguard.parsers.documents import Mark, YMap, YSeq
from iacguard.users import uid_of

RESOURCE_TYPE = "compose/service"
_TRUE = frozenset({"true", "yes", "y", "on"})
_FALSE = frozenset({"false", "no", "n", "off"})
# The security_opt entries the model reads, each with the name findings give it.
_OPTION_NATIVES = {"no-new-privileges": "no-new-privileges", "seccomp": "security_opt seccomp", "apparmor": "security_opt apparmor"}
_SEXAGESIMAL = regex(r"[0-9][0-9_]*(?::[0-9_]+)+")


def normalize(parsed: ParsedFile, context: ScanContext) -> Iterator[Resource]:
    name = os.path.basename(parsed.path)
    if is_override(name):
        return  # checked through the file it overrides
    project = Project(parsed, context)
    for service in project.services():
        if not _runs_a_container(service):
            head = service.head
            parsed.diagnose(CONTENT_WARNING, "note", f"services/{service.name} sets neither image nor build: docker compose refuses it unless "
                            "it is merged with a file that sets one, so it is not checked", head.path or parsed.path, head.line, head.column)
            continue
        reader = _ServiceReader(parsed.path, project, service)
        yield as_filled(reader.pod(), service.incomplete, "set by the service it extends, which was not read")
        yield as_filled(reader.container(), service.incomplete, "set by the service it extends, which was not read")
    if not claims_by_name(name):
        context.refused.clear()  # a file taken for a compose file by its content is never incomplete


def _runs_a_container(service: Service) -> bool:
    """Whether Compose can run the service: it names an `image` or a `build` once
    every file is merged (compose-go `checkConsistency`). One without is a fragment,
    a file meant to be merged with `-f` over another (`docker-compose.prod.yml`
    adding `restart: always`); what it would run is not known here. A service whose
    base could not be read may get them from that base."""
    return service.incomplete or service.body.get("image") is not None or service.body.get("build") is not None


class _ServiceReader:
    def __init__(self, path: str, project: Project, service: Service):
        self.path = path
        self.project = project
        self.service = service
        self.body = service.body
        self.head = self.at(service.head)
        self.address = f"services/{service.name}"

    def at(self, mark: Mark) -> Location:
        """Where a value written at `mark` is located: there, or, for a value a
        `.env` variable gives whole, at the line that sets the variable (as an
        `env_file`'s variable is), by way of the line that uses it."""
        here = Location(mark.path or self.path, mark.line, mark.column)
        supplied = self.project.supplied.get(mark)
        if supplied is None:
            return here
        origin, name = supplied
        return Location(origin.path, origin.line, origin.column, via=(here.hop(f"uses variable {name}"),))

    def setting(self, mapping: Any, key: str, native: str, convert=None) -> Attr:
        """`mapping[key]` located at its value and converted (`convert` gives None
        for a value docker compose would reject: Unknown), or unset at the head."""
        if not isinstance(mapping, YMap) or mapping.get(key) is None:
            return Attr(None, self.head, is_set=False, native=native)
        value = mapping[key]
        if convert is not None and not isinstance(value, Unknown):
            converted = convert(value)
            value = Unknown(str(value)) if converted is None else converted
        return Attr(value, self.at(mapping.value_marks[key]), native=native)

    def first(self, *settings: Attr) -> Attr:
        """The first of `settings` the file sets, else the first (unset)."""
        return next((setting for setting in settings if setting.is_set), settings[0])

    def resource(self, kind: str, attrs: dict) -> Resource:
        return Resource(kind, RESOURCE_TYPE, self.address, "compose", self.head, attrs, self.body)

    def pod(self) -> Resource:
        attrs = {
            "long_running": Attr(True, self.head),
            "host_network": self.host_mode("network_mode", "network_mode: host"),
            "host_pid": self.host_mode("pid", "pid: host"),
            "host_ipc": self.host_mode("ipc", "ipc: host"),
            "host_path_volumes": Attr(self.host_paths(), self.head, native="bind mount"),
        }
        return self.resource("pod", attrs)

    def host_mode(self, key: str, native: str) -> Attr:
        return self.setting(self.body, key, native, lambda value: isinstance(value, str) and value == "host")

    def host_paths(self) -> list[Attr]:
        """The bind mounts of host paths outside the project's folder, each relative
        path read from the folder of the file that writes it (an extended file's own)."""
        found = []
        project = self.project.folder_of(self.service.head)
        volumes = self.body.get("volumes")
        for item, mark in zip(volumes, volumes.item_marks) if isinstance(volumes, YSeq) else ():
            if isinstance(item, YMap):
                source = item.get("source") if item.get("type") == "bind" else None
            else:
                source = _short_volume_source(item)
            if isinstance(source, Unknown) or (isinstance(source, str) and _leaves_project(source, self.project.folder_of(mark), project)):
                found.append(Attr(source, self.at(mark), native="bind mount"))
        return found

    def container(self) -> Resource:
        body = self.body
        options = self.security_options()
        resources = _get(body, "deploy", "resources")
        limits, reservations = _get(resources, "limits"), _get(resources, "reservations")
        image = self.setting(body, "image", "image", lambda value: image_or_unknown(value) if isinstance(value, str) else None)
        if "build" in body:  # the tag names what the service builds
            image = Attr(None, self.head, is_set=False, native="image")
        healthcheck = self.healthcheck()
        ports = self.ports()
        attrs = {
            "name": Attr(self.service.name, self.head),
            "role": Attr("container", self.head),
            "long_running": Attr(True, self.head),
            "image": image,
            "images": Attr([image] if image.is_set else [], self.head),
            "privileged": self.setting(body, "privileged", "privileged", _boolean),
            "allow_privilege_escalation": options.get("no-new-privileges", Attr(None, self.head, is_set=False, native="no-new-privileges")),
            "capabilities_add": Attr(self.capabilities("cap_add"), self.head, native="cap_add"),
            "capabilities_drop": Attr(self.capabilities("cap_drop") if self.all_known("cap_drop") else Unknown("cap_drop"), self.head, native="cap_drop"),
            "read_only_root_filesystem": self.setting(body, "read_only", "read_only", _boolean),
            "seccomp_profile": options.get("seccomp", Attr("RuntimeDefault", self.head, is_set=False, native="security_opt seccomp")),
            "apparmor_profile": options.get("apparmor", Attr("RuntimeDefault", self.head, is_set=False, native="security_opt apparmor")),
            "cpu_limit": self.first(self.setting(limits, "cpus", "deploy.resources.limits.cpus"), self.setting(body, "cpus", "cpus")),
            "memory_limit": self.first(self.setting(limits, "memory", "deploy.resources.limits.memory"), self.setting(body, "mem_limit", "mem_limit")),
            "cpu_request": self.setting(reservations, "cpus", "deploy.resources.reservations.cpus"),
            "memory_request": self.first(
                self.setting(reservations, "memory", "deploy.resources.reservations.memory"), self.setting(body, "mem_reservation", "mem_reservation")
            ),
            "env": Attr(self.environment() + self.env_files(), self.head),
            "secret_env": Attr([], self.head),
            "host_ports": Attr([port.host for port in ports if port.host is not None], self.head, native="published port"),
            "published_ports": Attr([port.published for port in ports if port.published is not None], self.head, native="ports"),
            "container_ports": Attr([port.container for port in ports] + self.exposed(), self.head),
            "built_by": self.built_by(),
            "liveness_probe": healthcheck,
            "readiness_probe": healthcheck,
            **self.user(),
        }
        return self.resource("container", attrs)

    def user(self) -> dict[str, Attr]:
        """`user: NAME_OR_UID[:GROUP]`: a UID (`iacguard.users`), `root` being 0;
        another name is a user other than root; without `user:` the image decides
        (unknown here)."""
        user = self.setting(self.body, "user", "user", lambda value: self.raw_text(value, "user"))
        if user.is_set and not user.unknown and not user.value.split(":", 1)[0].strip():
            user = Attr(None, user.location, is_set=False, native="user")  # `user: ""` is left out of the container's config
        if not user.is_set:
            unknown = Attr(Unknown("the image's user"), self.head, is_set=False, native="user")
            return {"run_as_user": unknown, "run_as_non_root": unknown}
        if user.unknown:
            return {"run_as_user": user, "run_as_non_root": user}
        uid = uid_of(user.value)
        if uid is not None:
            return {"run_as_user": user.with_value(uid), "run_as_non_root": Attr(None, self.head, is_set=False, native="user")}
        return {"run_as_user": Attr(None, self.head, is_set=False, native="user"), "run_as_non_root": user.with_value(True)}

    def built_by(self) -> Attr:
        """The Dockerfile stage that builds the service's image: `build.target`, else
        the last stage, of `build.dockerfile_inline`, or of `build.dockerfile`
        (default `Dockerfile`) in the build context. None when the service pulls its
        image, builds from a remote context (never fetched: a note says so), or the
        Dockerfile does not exist or cannot be read."""
        build = self.body.get("build")
        if build is None:
            return Attr(None, self.head, is_set=False)
        mark = self.body.value_marks["build"]
        at = self.at(mark)
        inline = build.get("dockerfile_inline") if isinstance(build, YMap) else None
        context = build.get("context") if isinstance(build, YMap) else build
        if inline is not None:
            stages = self.project.inline_stages(inline, build.value_marks["dockerfile_inline"], self.build_args(build)) if isinstance(inline, str) else []
        elif is_remote_context(context):
            where = build.value_marks["context"] if isinstance(build, YMap) else mark
            self.project.note(f"build context {context} is remote and never fetched, so the user of the image it builds is not known ({self.address})", where)
            return Attr(None, at, is_set=False)
        else:
            # The context is read from the folder of the file that writes it (an extended file's own).
            written = build.value_marks.get("context", mark) if isinstance(build, YMap) else mark
            dockerfile = dockerfile_of(build, self.project.folder_of(written))
            if dockerfile is None or not os.path.lexists(dockerfile):
                if dockerfile is not None:
                    self.project.context.dependencies.add(dockerfile)  # one that appears later changes the result
                return Attr(None, at, is_set=False)
            named = build.value_marks.get("dockerfile", written) if isinstance(build, YMap) else mark
            stages = self.project.dockerfile_stages(dockerfile, self.build_args(build), named)
        target = build.get("target") if isinstance(build, YMap) else None
        chosen = [stage for stage in stages if target is None or isinstance(target, str) and stage_key(stage.value("stage")) == stage_key(target)]
        return Attr(chosen[-1], at) if chosen and not isinstance(target, Unknown) else Attr(None, at, is_set=False)

    def build_args(self, build: Any) -> dict[str, Any]:
        """A build's `args` (a mapping or a `KEY=VALUE` list), each value as the build
        is given it: a string, or Unknown (a bare `KEY` takes the environment's; a
        number or a boolean is written as text)."""
        args = build.get("args") if isinstance(build, YMap) else None
        if not isinstance(args, (YMap, YSeq)):
            return {}
        return {str(name): _arg_text(value) for name, value in as_mapping(args).items()}

    def raw_text(self, value: Any, key: str) -> str | None:
        """A scalar as written: YAML 1.1 reads `22:22` as the number 1342, Compose
        (YAML 1.2) as the text it is."""
        if isinstance(value, int) and not isinstance(value, bool) and isinstance(self.body, YMap) and key in self.body:
            written = _written(self.project.text_of(self.body.value_marks[key]), self.body.value_marks[key])
            return written if _SEXAGESIMAL.fullmatch(written or "") else str(value)
        return value if isinstance(value, str) else None

    def security_options(self) -> dict[str, Attr]:
        """`security_opt` entries as the canonical attributes they decide:
        `no-new-privileges` (escalation allowed: false), `seccomp` and `apparmor`
        (`unconfined`, or a profile of the host's: Localhost). An entry Compose
        cannot resolve may be any of them: each is Unknown unless a later entry
        sets it."""
        found: dict[str, Attr] = {}
        options = self.body.get("security_opt")
        for item, mark in zip(options, options.item_marks) if isinstance(options, YSeq) else ():
            where = self.at(mark)
            if isinstance(item, Unknown):
                found.update({name: Attr(item, where, native=native) for name, native in _OPTION_NATIVES.items()})
                continue
            if not isinstance(item, str):
                continue
            name, value = re.match(r"([^:=]*)[:=]?(.*)", item).groups()
            if name == "no-new-privileges":
                enabled = _boolean(value) if value else True
                allowed = Unknown(item) if enabled is None else not enabled
                found[name] = Attr(allowed, where, native="no-new-privileges:false" if allowed is True else "no-new-privileges")
            elif name in ("seccomp", "apparmor") and value:
                profile = "Unconfined" if value == "unconfined" else "Localhost"
                found[name] = Attr(profile, where, native=_OPTION_NATIVES[name])
        return found

    def all_known(self, key: str) -> bool:
        """False when a list setting may hold more than the file shows: it, or one
        of its items, is a variable Compose cannot resolve (`cap_drop: ["${DROP}"]`
        may be ALL), or the service's base was not read, and Compose joins the
        base's list with it."""
        if self.service.incomplete:
            return False
        items = self.body.get(key)
        return not isinstance(items, Unknown) and not (isinstance(items, YSeq) and any(isinstance(item, Unknown) for item in items))

    def capabilities(self, key: str) -> list[Attr]:
        items = self.body.get(key)
        return [
            Attr(item.upper().removeprefix("CAP_"), self.at(mark), native=key)
            for item, mark in (zip(items, items.item_marks) if isinstance(items, YSeq) else ())
            if isinstance(item, str)
        ]

    def healthcheck(self) -> Attr:
        """The `healthcheck` mapping; None, set where it is written, for one the
        service turns off (`disable: true`, `test: ["NONE"]`): the service decides
        that itself, whatever a base it extends would give."""
        check = self.body.get("healthcheck")
        if check is None:
            return Attr(Unknown("the image's HEALTHCHECK"), self.head, is_set=False, native="healthcheck")
        at = self.at(self.body.value_marks["healthcheck"])
        if not isinstance(check, YMap):
            return Attr(None, at, is_set=False, native="healthcheck")
        test = check.get("test")
        if _boolean(check.get("disable")) is True or test in ("NONE", ["NONE"]):
            return Attr(None, at, native="healthcheck")
        return Attr(check, at, native="healthcheck")

    def environment(self) -> list[EnvVar]:
        environment = self.body.get("environment")
        if not isinstance(environment, (YMap, YSeq)):
            return []
        found = []
        mapping = as_mapping(environment)
        for name, value in mapping.items():
            value_at = self.at(mapping.value_marks[name])
            location = value_at if value_at.via else self.at(mapping.key_marks[name])  # a value from the `.env` is the variable's place
            literal = isinstance(value, (str, int, float)) and not isinstance(value, bool)
            found.append(EnvVar(str(name), Attr(str(value) if literal else value, value_at), literal, location, "environment variable"))
        return found

    def env_files(self) -> list[EnvVar]:
        """The variables of the service's `env_file`s, located in those files."""
        found = []
        for entry, mark in listed_at(self.body, "env_file"):
            path, required = (entry.get("path"), _boolean(entry.get("required", True)) is not False) if isinstance(entry, YMap) else (entry, True)
            if not isinstance(path, str):
                continue
            named = entry.value_marks["path"] if isinstance(entry, YMap) else mark
            file = os.path.normpath(os.path.join(self.project.folder_of(mark or self.body.mark), path))
            for name, value, line in self.project.env_file(file, required, named) or ():
                location = Location(file, line, 1)
                found.append(EnvVar(name, Attr(value, location), isinstance(value, str), location, "env_file variable"))
        return found

    def ports(self) -> list[_Port]:
        """Each entry of `ports`, in the short syntax
        (`[HOST_IP:][HOST_PORTS:]CONTAINER_PORTS[/PROTOCOL]`, ports or ranges) or the
        long one (`target`, `published`, `host_ip`, `protocol`). One bound to a
        loopback address publishes nothing beyond the machine, but the container
        still serves on it. A host address or protocol given by a variable Compose
        cannot resolve leaves what is published unknown. A host address that is no
        IP address makes docker compose reject the file: the entry publishes
        nothing, and a warning says so where it is written."""
        found = []
        ports = self.body.get("ports")
        for item, mark in zip(ports, ports.item_marks) if isinstance(ports, YSeq) else ():
            where = self.at(mark)
            if isinstance(item, YMap):
                host_ip, published, target, protocol = item.get("host_ip"), item.get("published"), item.get("target"), item.get("protocol")
            else:
                text = _written(self.project.text_of(mark), mark) if isinstance(item, int) and not isinstance(item, bool) else item
                if isinstance(item, Unknown):
                    continue
                host_ip, published, target, protocol = _short_port(text if _SEXAGESIMAL.fullmatch(str(text or "")) else str(item))
            named = host_ip if isinstance(host_ip, str) and host_ip else None
            address = _host_address(named) if named else None
            if named and address is None:
                written = item.value_marks["host_ip"] if isinstance(item, YMap) else mark
                self.project.parsed.diagnose(CONTENT_WARNING, "warning", f"ports: host address {named} is not an IP address; docker compose rejects it",
                                             written.path or self.path, written.line, written.column)
                continue
            local = address is not None and address.is_loopback
            targets = _port_range(target)
            if targets is None:
                continue
            spec = str(targets.start) if len(targets) == 1 else f"{targets.start}-{targets.stop - 1}"
            spec += f"/{protocol.lower()}" if isinstance(protocol, str) and protocol and protocol.lower() != "tcp" else ""
            unknown = next((value for value in (host_ip, protocol) if isinstance(value, Unknown)), None)
            hosts = _port_range(published)
            host = Attr(unknown or hosts.start, where, native="published port") if hosts is not None and hosts.start and not local else None
            published = Attr(unknown or spec, where, native="ports") if not local else None
            found.append(_Port(host, published, Attr(targets.start, where, native="ports")))
        return found

    def exposed(self) -> list[Attr]:
        """The first port of each `expose` entry: `PORT[-PORT][/PROTOCOL]`."""
        items = self.body.get("expose")
        return [
            Attr(port.start, self.at(mark))
            for item, mark in (zip(items, items.item_marks) if isinstance(items, YSeq) else ())
            if (port := _port_range(item.partition("/")[0] if isinstance(item, str) else item)) is not None
        ]


class _Port(NamedTuple):
    """One entry of `ports`: the host port (None when Docker picks one, or when the
    entry is bound to loopback), the container ports as `PORT[-PORT][/PROTOCOL]`
    (TCP unsaid; None when bound to loopback), and the first container port."""

    host: Attr | None
    published: Attr | None
    container: Attr


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, YMap) else None
    return node


def _boolean(value: Any) -> bool | None:
    """A boolean as docker compose reads one, after interpolation made it text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
        return value.lower() in _TRUE
    return None


def _written(line: str, mark: Mark) -> str | None:
    """The plain scalar that starts at `mark` on `line`."""
    match = re.match(r"[^\s,\]\}#]+", line[mark.column - 1 :])
    return match.group() if match else None


def _short_volume_source(item: Any) -> str | Unknown | None:
    """The host side of `SOURCE:TARGET[:MODE]` when SOURCE is a path (a named
    volume has a plain name); a Windows drive letter counts as part of the path."""
    if isinstance(item, Unknown):
        return item if ":" in item.expression else None
    if not isinstance(item, str) or ":" not in item:
        return None
    source = re.match(r"(?:[A-Za-z]:)?[^:]*", item).group()
    return source if source.startswith(("/", ".", "~")) or re.match(r"[A-Za-z]:[\\/]", source) else None


def _leaves_project(source: str, folder: str, project: str) -> bool:
    """True for a bind source, written in a file of `folder`, outside the `project`'s
    folder."""
    if source.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", source):
        return True
    return posixpath.relpath(posixpath.normpath(posixpath.join(folder, source)), project).startswith("..")


def _short_port(text: str) -> tuple[str | None, str | None, str, str]:
    """`[HOST_IP:][HOST_PORTS:]CONTAINER_PORTS[/PROTOCOL]` as (host IP, host ports,
    container ports, protocol), split as Docker splits it (go-connections
    `nat.splitParts`): the last part is the container's, the one before it the
    host's, and all before those the host IP, so an IPv6 address needs no brackets
    (`:::2222:22` publishes on `::`)."""
    text, _, protocol = text.strip().partition("/")
    parts = text.split(":")
    host_ip = ":".join(parts[:-2]) or None
    published = parts[-2] if len(parts) > 1 else None
    return host_ip, published or None, parts[-1], protocol


def _port_range(value: Any) -> range | None:
    """A port (`22`) or a range of them (`20-28`), as a range; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return range(value, value + 1)
    if isinstance(value, str):
        low, dash, high = value.strip().partition("-")
        if low.isdigit() and (high.isdigit() or not dash) and int(high or low) >= int(low):
            return range(int(low), int(high or low) + 1)
    return None


def _host_address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a port is published on, read as Docker reads it (go-connections
    `nat.ParsePortSpec`): an IP address, which may be written in brackets
    (`[::1]`); None for anything else (`localhost`, `999.1.1.1`, `::1]`, an IPv6
    zone), which Docker refuses."""
    inner = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if "%" in inner:
        return None
    try:
        return ipaddress.ip_address(inner)
    except ValueError:
        return None


def _arg_text(value: Any) -> str | Unknown:
    """A build argument as the build is given it: YAML's scalars as their text; no
    value (`KEY:`, or `KEY` in a list) is the environment's."""
    if isinstance(value, (str, Unknown)):
        return value
    if value is None or isinstance(value, (YMap, YSeq)):
        return Unknown("a build argument from the environment")
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
