"""azurerm resources as canonical resources, with the provider's defaults.

Values come from the evaluator (variables, tfvars, locals); a value that cannot be
resolved is Unknown. A resource or module call with `count` or `for_each` gives one
resource (or module instance) per element of a known collection, addressed as
Terraform addresses it (`azurerm_linux_web_app.app["legacy-api"]`,
`module.site[0].azurerm_linux_web_app.this`), and none when the collection is known
to be empty; over a collection that cannot be known, one resource whose loop values
are Unknown. `dynamic` blocks over known collections are read as the blocks they
generate; one over a collection that cannot be resolved counts as unknown. Where
azurerm takes a list of objects as an argument in place of blocks (a registry's
`network_rule_set = [{ ... }]`, a legacy app's `ip_restriction = [ ... ]`), the list
is read as those blocks, and one that cannot be resolved is unknown too. A folder's
override files are merged into its other files first (`terraform_overrides`): a
resource is read once, from the file that writes it, with what they set.

Defaults and their sources (azurerm provider documentation):
- App Service / Function Apps (`azurerm_{linux,windows}_{web,function}_app` and
  slots, `azurerm_function_app_flex_consumption`): `https_only` false,
  `site_config.minimum_tls_version` "1.2", `site_config.ftps_state` "Disabled" (a
  provider default; the API's is "AllAllowed"; a flex consumption app has none,
  and takes no FTP deployments), `site_config.remote_debugging_enabled` false,
  `public_network_access_enabled` true, `client_certificate_enabled` false,
  `client_certificate_mode` "Required" for web apps and "Optional" for function apps,
  `site_config.ip_restriction_default_action` "Allow" (sent since azurerm 3.95, so
  `ip_restriction` rules alone refuse nothing).
- Legacy `azurerm_app_service`, `azurerm_function_app` and slots:
  `https_only` false, `site_config.min_tls_version` "1.2", `site_config.ftps_state`
  unset by the provider, so the API default "AllAllowed" applies,
  `client_cert_enabled` false; `azurerm_function_app` has no `client_cert_enabled`:
  the provider turns client certificates on when `client_cert_mode` is set.
- `azurerm_container_group`: `ip_address_type` "Public".
- `azurerm_container_registry`: `admin_enabled` false, `public_network_access_enabled`
  true, `network_rule_set.default_action` "Allow", `anonymous_pull_enabled` false,
  `trust_policy_enabled` (v3: `trust_policy.enabled`) false,
  `quarantine_policy_enabled` false. `sku` has no default: current provider versions
  require it (2.x and earlier defaulted to the retired "Classic"), so without one
  the tier is unknown.
- `azurerm_kubernetes_cluster`: `role_based_access_control_enabled` true,
  `local_account_disabled` false, no network policy (Cilium's own on the Cilium
  data plane, `network_data_plane`, v3 also `ebpf_data_plane`), `private_cluster_enabled` false,
  `azure_policy_enabled` false, `default_node_pool.node_public_ip_enabled` (v3:
  `enable_node_public_ip`) false; add-ons (`microsoft_defender`, `oms_agent`,
  `key_vault_secrets_provider`) are off unless their block is present. Clusters
  written for azurerm before 3.0 (`addon_profile`, `role_based_access_control {}`,
  `private_link_enabled`, `agent_pool_profile`) read the same: an add-on is on when
  `addon_profile.<add-on>.enabled` says so (`azure_keyvault_secrets_provider` for the
  Key Vault provider), RBAC is off unless `role_based_access_control.enabled` is
  true, as those providers created it, and the node pools of azurerm 1.x are the
  `agent_pool_profile` blocks.
- `azurerm_kubernetes_cluster_node_pool`: `node_public_ip_enabled` (v3:
  `enable_node_public_ip`) false.
- `azurerm_key_vault`: `purge_protection_enabled` false, `public_network_access_enabled`
  true, `rbac_authorization_enabled` (v3: `enable_rbac_authorization`) false.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from iacguard.budgets import Budget
from iacguard.diagnostics import CONTENT_WARNING, NOT_FETCHED
from iacguard.evaluators.module_call import ModuleCall
from iacguard.evaluators.terraform import ModuleScope, module_scope, parsed_files, read_var_file, var_files_of
from iacguard.evaluators.terraform_overrides import Rejected, merged, written_at
from iacguard.formats import ParsedFile, ScanContext
from iacguard.image import image_or_unknown
from iacguard.inputs import from_real_folder, inside
from iacguard.model import Attr, EnvVar, Location, Resource, Unknown
from iacguard.normalizers.convert import AccessRule, access_decided, convert, first_set, flex_consumption_ftp_state, joined_subnets, negated, network_policy_engine, setting_env_var
from iacguard.normalizers.credentials import TERRAFORM as CREDENTIAL_ATTRIBUTES, credential
from iacguard.parsers.cache import ParseCache
from iacguard.parsers.hcl import Attribute, Block, Body, Expr, HclFile, Literal, ObjectExpr, TupleExpr
from iacguard.parsers.terraform import JSON_SUFFIX, module_files
from iacguard.structs import replace

WEB_APPS = {
    # type: (app kind, the types that replace it: empty for a current one)
    "azurerm_linux_web_app": ("web", ""),
    "azurerm_windows_web_app": ("web", ""),
    "azurerm_linux_web_app_slot": ("web", ""),
    "azurerm_windows_web_app_slot": ("web", ""),
    "azurerm_linux_function_app": ("function", ""),
    "azurerm_windows_function_app": ("function", ""),
    "azurerm_linux_function_app_slot": ("function", ""),
    "azurerm_windows_function_app_slot": ("function", ""),
    # Deprecated in azurerm 3.0 and removed in 4.0 (their documentation in 3.117).
    "azurerm_app_service": ("web", "azurerm_linux_web_app or azurerm_windows_web_app"),
    "azurerm_app_service_slot": ("web", "azurerm_linux_web_app_slot or azurerm_windows_web_app_slot"),
    "azurerm_function_app": ("function", "azurerm_linux_function_app or azurerm_windows_function_app"),
    "azurerm_function_app_slot": ("function", "azurerm_linux_function_app_slot or azurerm_windows_function_app_slot"),
    "azurerm_function_app_flex_consumption": ("function", ""),
}


# Blocks azurerm also takes as an argument holding a list of objects (its
# `ConfigModeAttr` schemas), by resource type: `network_rule_set = [{ ... }]`,
# `site_config { ip_restriction = [for ip in var.ips : { ... }] }`.
_ARGUMENT_BLOCKS = {
    "azurerm_container_registry": ("network_rule_set",),
    **{resource_type: ("ip_restriction",) for resource_type, (_, successor) in WEB_APPS.items() if successor},
}

_MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}


def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    context = context or ScanContext()
    scope, file = _scope(parsed, parsed.native, context)
    yield from _resources(parsed.path, file.body, scope, "")
    yield from _module_calls(parsed, parsed.path, file.body, scope, "", (), context)


def _resources(path: str, body: Body, scope: ModuleScope, prefix: str) -> Iterator[Resource]:
    for block in body.blocks_of("resource"):
        if len(block.labels) != 2:
            continue
        resource_type, name = block.labels
        if not normalised(resource_type):
            continue
        builder = _BUILDERS.get(resource_type)
        for instance in scope.instances(block, path):
            reader = _Reader(path, block, scope.with_names(instance.names), prefix, instance.key)
            if builder is not None:
                built = builder(reader, resource_type, name)
                yield from built if isinstance(built, list) else [built]
            yield from _credentials(reader, resource_type, name)


def _module_calls(parsed: ParsedFile, path: str, body: Body, scope: ModuleScope, prefix: str, stack: tuple, context: ScanContext,
                  leads_at: tuple[int, int] | None = None) -> Iterator[Resource]:
    """Follow calls of local modules (`source = "./..."`) with their inputs, once per
    instance (`count`, `for_each`); the module's resources get the address prefix
    `module.NAME.` (`module.NAME["key"].`) and their findings point into the
    module's files. Remote modules are not fetched, and a note says so. A module
    folder or file that is refused (IG005) is told at the `source` value when the
    scanned file writes the call. What a module's own call meets (a note, a
    refusal) is told at the `source` value of the scanned file's call that leads
    to it (`leads_at`): a diagnostic's line is the scanned file's."""
    for block in body.blocks_of("module"):
        if not block.labels:
            continue
        name = block.labels[0]
        source_attr = block.body.attributes.get("source")
        source = scope.evaluate(source_attr.value) if source_attr else None
        instances = scope.instances(block, path)
        if not isinstance(source, str) or not instances:
            continue
        if not source.startswith(("./", "../")):
            message = f"module {name}: remote source {source} is not fetched, so its resources are not checked"
            parsed.diagnose(NOT_FETCHED, "note", message, path, block.line, block.column, leads_at=leads_at)
            continue
        directory = Path(from_real_folder(os.path.dirname(path) or ".", source, context.real_path))  # as Terraform: from the caller's real folder
        # None too for a name no folder can have (a NUL byte, too long), which
        # `Path.is_dir` and `resolve` would raise for.
        real = directory.resolve() if os.path.isdir(directory) else None
        if real is not None and real in stack:
            message = f"module {name}: source {source} calls itself in a cycle; not followed"
            parsed.diagnose(CONTENT_WARNING, "warning", message, path, block.line, block.column, leads_at=leads_at)
            continue
        context.enter_module(len(stack) + 1, path, block.line)
        named_at = (source_attr.value.line, source_attr.value.column) if path == parsed.path else leads_at
        if real is None or (context.root is not None and not inside(directory, context.root, str(real))):
            context.refuse(directory, "not a directory inside the scan root", named_at)
            continue
        files = [(sibling.as_posix(), configuration_file(sibling, context, named_at)) for sibling in module_files(directory)]
        files, _ = merged([(display, hcl_file) for display, hcl_file in files if hcl_file is not None], scope.budget)  # what Terraform rejects: in the module's own scan
        context.dependencies.add(str(real))
        for number, instance in enumerate(instances):
            if number:
                context.enter_module(len(stack) + 1, path, block.line)
            inner = f"{prefix}module.{name}{instance.key}."
            module = module_instance(block, path, files, scope.with_names(instance.names), inner.removesuffix("."), str(directory))
            for display, hcl_file in files:
                yield from _resources(display, hcl_file.body, module, inner)
                yield from _module_calls(parsed, display, hcl_file.body, module, inner, (*stack, real), context, named_at)


def module_instance(block: Block, path: str, files: list[tuple[str, HclFile]], caller: ModuleScope, address: str, directory: str) -> ModuleScope:
    """The scope of the module instance `address`, made by the module call `block`
    (written in the file at `path`) from the module's `files` (each with the path it
    is shown by) in `directory`: the call's arguments, evaluated in the `caller`'s
    scope (with the instance's loop names), set its variables, and its `origin` leads
    from the module's lines to the caller's argument. The plan format locates the
    values of a plan's module instances with it too."""
    module = module_scope([hcl_file for _, hcl_file in files], [], [display for display, _ in files])
    declared = {variable: location for variable, (location, _) in module.declared.items()}
    arguments = {key: attribute for key, attribute in block.body.attributes.items() if key not in _MODULE_META}
    module.called(ModuleCall(address, Location(path, block.line, block.column), "variable", declared), arguments, caller, directory)
    return module


def _scope(parsed: ParsedFile, file: HclFile, context: ScanContext) -> tuple[ModuleScope, HclFile]:
    """The module scope of the file's directory, as this file evaluates it, and the
    file as merged with the directory's override files (`terraform_overrides`): the
    declarations and the merge are shared by the files of one scan, evaluated values
    are not. What reading the directory refused is refused for each of its files."""
    path = Path(parsed.path)
    given = [read_var_file(var_file, context) for var_file in context.terraform_var_files]
    if not path.is_file():  # standard input: only the file itself
        scope, changed, rejected = _folder([(parsed.path, file)], given)
        return _for_file(parsed, file, scope.for_file(parsed.path), changed, rejected)
    own = path.resolve()
    directory = own.parent
    key = ("terraform-scope", directory, context.terraform_var_files)
    if key not in context.cache:
        if len(context.cache) > 256:  # directories are scanned one after another
            context.cache.clear()
        before = dict(context.refused)
        # The folder is resolved already: only a sibling that is a link has another real path.
        sibling_paths = [sibling for sibling in module_files(directory) if (sibling.resolve() if sibling.is_symlink() else sibling) != own]
        files = [file, *(configuration_file(sibling, context) for sibling in sibling_paths)]
        var_files = [read_var_file(var_file, context) for var_file in var_files_of(directory)]
        names = [parsed.path, *(str(path.parent / sibling.name) for sibling in sibling_paths)]
        refused = {dependency: reason for dependency, reason in context.refused.items() if dependency not in before}
        # The directory itself too: a file that appears later changes the module.
        dependencies = [str(directory)] + [str(p) for p in sibling_paths] + [str(p) for p, _ in var_files]
        context.cache[key] = (*_folder(list(zip(names, files, strict=True)), var_files + given), dependencies, refused)
    scope, changed, rejected, dependencies, refused = context.cache[key]
    context.dependencies.update(dependencies)
    context.refused.update(refused)
    return _for_file(parsed, file, scope.for_file(parsed.path, context), changed, rejected)


def _folder(files: list[tuple[str, HclFile | None]], var_files: list) -> tuple[ModuleScope, dict[str, HclFile], list[Rejected]]:
    """A root module's scope, with its override files merged; the files the merge
    changed, by name; and what Terraform rejects of the override files."""
    merged_files, rejected = merged(files, Budget())
    changed = {Path(name).name: hcl_file for (name, hcl_file), (_, original) in zip(merged_files, files, strict=True) if hcl_file is not original}
    return module_scope([hcl_file for _, hcl_file in merged_files], var_files, [name for name, _ in merged_files]), changed, rejected


def _for_file(parsed: ParsedFile, file: HclFile, scope: ModuleScope, changed: dict[str, HclFile], rejected: list[Rejected]) -> tuple[ModuleScope, HclFile]:
    """The file's `scope` and the file as merged (as it is when the merge `changed`
    nothing of it); what Terraform rejects of it, an override file, is a warning."""
    name = Path(parsed.path).name
    for problem in rejected:
        if Path(problem.path).name == name:
            parsed.diagnose(CONTENT_WARNING, "warning", problem.message, parsed.path, problem.line, problem.column)
    return scope, changed.get(name, file)


class _Reader:
    """Reads one instance of a resource block (`key` is its instance key, `[0]` or
    `["name"]`, empty when the resource has one instance): evaluated attribute values
    with their locations. `body` is the block's body with its `dynamic` blocks
    generated."""

    def __init__(self, path: str, block: Block, scope: ModuleScope, prefix: str = "", key: str = ""):
        self.path = path
        self.block = block
        self.scope = scope
        self.head = Location(path, block.line, block.column)
        self.address = f"{prefix}{block.labels[0]}.{block.labels[1]}{key}"
        self.body = scope.expand_dynamic(block.body, path)
        self.argument_blocks = _ARGUMENT_BLOCKS.get(block.labels[0], ())

    def value(self, body: Body | None, path: str, default: Any = None, kind: type | None = None, within: str = "") -> Attr:
        """An argument's value where it is set; the provider default at the resource
        head when it is not. `path` leads from `body` through nested blocks to the
        argument (`site_config.minimum_tls_version`) and is the Attr's native name,
        set or not. `within` is the path of `body` itself when it is one of several
        blocks of a type, read one by one (`agent_pool_profile`), so the native name
        still leads from the resource. `kind` converts as Terraform does ("true" is
        a bool)."""
        native = f"{within}.{path}" if within else path
        blocks, _, name = path.rpartition(".")
        if blocks:
            for block_type in blocks.split("."):
                body = self.nested(body, block_type)
                if isinstance(body, Unknown):
                    return Attr(body, self.head, native=native)
        attribute = body.attributes.get(name) if body is not None else None
        if attribute is None:
            return Attr(default, self.head, is_set=False, native=native)
        expr = attribute.value
        location = self.located(attribute)
        value = self.scope.evaluate(expr)
        if value is None:
            return Attr(default, location, is_set=False, native=native)
        return Attr(convert(value, kind) if kind else value, location, native=native)

    def located(self, attribute: Attribute, to_literal: bool = False) -> Location:
        """Where the value of an argument of this resource was decided: the literal a
        module's caller wrote, when the value comes from there (see
        `ModuleScope.origin`); else the argument, in the file that wrote it (an
        override file's)."""
        return self.scope.origin(attribute.value, self.place(attribute, attribute.value), to_literal)

    def place(self, written: Attribute | Block, node: Expr | Block) -> Location:
        """Where `node`, in an argument or a nested block of this resource, is written:
        in an override file's part, there (`terraform_overrides.written_at`)."""
        return written_at(written, node, self.path, self.head)

    def nested(self, body: Body | None, name: str) -> Body | Unknown | None:
        """The first static block of that type, else the content of a `dynamic` one,
        else the first object of an argument written in its place (`as_argument`)."""
        if body is None:
            return None
        for block in body.blocks:
            if block.type == name:
                return block.body
        for dynamic in body.blocks_of("dynamic"):
            if dynamic.labels == [name]:
                content = dynamic.body.blocks_of("content")
                return content[0].body if content else None
        return self.as_argument(body, name)

    def present(self, body: Body | None, name: str) -> Any:
        """Whether blocks of that type exist: True, False or Unknown (a `dynamic`
        block over a value that cannot be resolved, or such an argument written in
        their place)."""
        if body is None:
            return False
        if body.blocks_of(name):
            return True
        for dynamic in body.blocks_of("dynamic"):
            if dynamic.labels == [name]:
                for_each = dynamic.body.attributes.get("for_each")
                items = self.scope.evaluate(for_each.value) if for_each else Unknown("for_each")
                return Unknown("dynamic block") if isinstance(items, Unknown) else bool(items)
        written = self.as_argument(body, name)
        return written if isinstance(written, Unknown) else written is not None

    def as_argument(self, body: Body, name: str) -> Body | Unknown | None:
        """The first object of an argument written in place of blocks of that type
        (`as_arguments`); None when there is none."""
        objects = self.as_arguments(body, name, 1)
        return objects if isinstance(objects, Unknown) else next(iter(objects), None)

    def as_arguments(self, body: Body, name: str, limit: int | None = None) -> list[Body] | Unknown:
        """Where azurerm takes a list of objects in place of blocks of that type
        (`_ARGUMENT_BLOCKS`), the objects of such an argument (the first `limit`), each
        read as a block: its own arguments when it is written out, else its values,
        located at the argument. Unknown when the list, or an object in it, cannot be
        resolved; empty when there is no such argument."""
        attribute = body.attributes.get(name) if name in self.argument_blocks else None
        if attribute is None:
            return []
        expr = attribute.value
        if isinstance(expr, TupleExpr) and expr.items and all(isinstance(item, ObjectExpr) for item in expr.items[:limit]):
            written = []
            for item in expr.items[:limit]:
                keys = [(key.root if _bare(key) else self.scope.evaluate(key), value) for key, value in item.items]
                written.append(Body({key: Attribute(key, value, value.line, value.column, value.end_line, attribute.path) for key, value in keys if isinstance(key, str)}))
            return written
        items = self.scope.evaluate(expr)
        if not isinstance(items, list):
            return items if isinstance(items, Unknown) else []
        items = items[:limit]
        if any(isinstance(item, Unknown) for item in items):
            return Unknown(name)
        return [Body({key: Attribute(key, Literal(expr.line, expr.column, expr.end_line, expr.end_column, value), expr.line, expr.column, expr.end_line, attribute.path)
                      for key, value in item.items()}) for item in items if isinstance(item, dict)]

    def all_nested(self, body: Body | None, name: str) -> list[Body] | Unknown:
        """Every block of that type: the static ones, those of `dynamic` blocks over
        known collections, and the objects of an argument written in their place
        (`as_arguments`). Unknown when a `dynamic` block or such an argument cannot be
        resolved."""
        if body is None:
            return []
        if any(dynamic.labels == [name] for dynamic in body.blocks_of("dynamic")):
            return Unknown(f"dynamic {name}")
        written = self.as_arguments(body, name)
        return written if isinstance(written, Unknown) else [block.body for block in body.blocks_of(name)] + written

    def block_flag(self, body: Body, name: str) -> Attr:
        """Whether an add-on block is present, located at the block when it is
        written out; a `dynamic` block that may produce it counts as set."""
        present = self.present(body, name)
        blocks = body.blocks_of(name)
        location = self.place(blocks[0], blocks[0]) if blocks else self.head
        return Attr(present, location, is_set=present is not False, native=name)

    def identity(self, body: Body) -> Attr:
        """The identity type; without an `identity` block, nothing, named by the block."""
        if self.nested(body, "identity") is None:
            return Attr(None, self.head, is_set=False, native="identity")
        return self.value(body, "identity.type", Unknown("identity type"), str)

    def environment(self, body: Body | None, name: str, origin: str, secure: bool = False) -> list[EnvVar]:
        """Variables from a map argument, each located at its key when the map is
        written out. Values that are references (Key Vault references, secure
        variables, values that cannot be resolved) are not literal."""
        attribute = body.attributes.get(name) if body is not None else None
        if attribute is None:
            return []
        scope, expr = self.scope.binding(attribute.value)
        if isinstance(expr, ObjectExpr):
            pairs = [(scope.evaluate(key) if not _bare(key) else key.root, value, self.place(attribute, key))
                     for key, value in expr.items]
        else:
            mapping = self.scope.evaluate(attribute.value)
            if not isinstance(mapping, dict):
                return []
            where = self.located(attribute)
            pairs = [(key, value, where) for key, value in mapping.items()]
        found = []
        for key, value, location in pairs:
            if not isinstance(key, str):
                continue
            value = scope.evaluate(value) if hasattr(value, "line") else value
            found.append(setting_env_var(key, value, location, origin, secure))
        return found

    def resource(self, kind: str, attrs: dict[str, Attr], part: str = "", location: Location | None = None) -> Resource:
        """The resource read, or a `part` of it (`/containers/app`) as a resource."""
        return Resource(kind, self.block.labels[0], self.address + part, "terraform", location or self.head, attrs, self.block)


def _bare(expr) -> bool:
    """An object key written as a bare identifier (`KEY = "v"`)."""
    return getattr(expr, "root", None) is not None and not expr.steps and type(expr).__name__ == "Traversal"


def _image(name: Attr, registry_url: Attr | None = None) -> Attr:
    """An ImageRef from an image name and, for App Service, the registry URL."""
    if not name.is_set or not isinstance(name.value, str):
        return name
    text = name.value
    if registry_url is not None and isinstance(registry_url.value, str):
        host = registry_url.value.split("://", 1)[-1].strip("/")
        if host and "docker.io" not in host and not text.startswith(host + "/"):
            text = f"{host}/{text}"
    elif registry_url is not None and registry_url.is_set:
        return name.with_value(Unknown(text))
    return name.with_value(image_or_unknown(text))


def _web_app(reader: _Reader, resource_type: str, name: str) -> Resource:
    app_kind, successor = WEB_APPS[resource_type]
    legacy = bool(successor)
    body = reader.body
    attrs = {
        "app_kind": Attr(app_kind, reader.head),
        "https_only": reader.value(body, "https_only", False, bool),
        "min_tls_version": reader.value(body, "site_config.min_tls_version" if legacy else "site_config.minimum_tls_version", "1.2", str),
        "ftps_state": _ftps_state(reader, body, resource_type),
        "remote_debugging": reader.value(body, "site_config.remote_debugging_enabled", False, bool),
        "identity": reader.identity(body),
        # The legacy resources cannot turn it off: Azure's default, enabled, applies.
        "public_network_access": _not_expressed(reader, True) if legacy else reader.value(body, "public_network_access_enabled", True, bool),
        **_access_restrictions(reader, body, legacy),
        **_client_certificates(reader, body, resource_type),
        "images": Attr(_web_app_images(reader, body), reader.head),
        "env": Attr(reader.environment(body, "app_settings", "app setting"), reader.head, native="app_settings"),
    }
    if successor:
        attrs["successor"] = Attr(successor, reader.head)
    return reader.resource("web_app", attrs)


def _not_expressed(reader: _Reader, platform_default: Any) -> Attr:
    """A setting the resource type has no argument for: Azure's default applies, and
    there is no native name to write."""
    return Attr(platform_default, reader.head, is_set=False)


def _access_restrictions(reader: _Reader, body: Body, legacy: bool) -> dict[str, Attr]:
    """Whether requests from outside the app's access restrictions are refused. The
    current resources (azurerm 3.95 on) send `ip_restriction_default_action`, "Allow"
    unless told otherwise, for the requests no `ip_restriction` rule matches, so only
    "Deny" refuses them. The legacy resources have no such setting and send none:
    Azure then refuses what no rule matches once there is a rule. Either way a rule
    that covers every address decides instead (`access_decided`)."""
    site_config = reader.nested(body, "site_config")
    rules = Attr(reader.present(site_config, "ip_restriction"), reader.head, native="site_config.ip_restriction")
    if legacy:
        action, restricted = Attr(None, reader.head, is_set=False), rules.value
    else:
        action = reader.value(body, "site_config.ip_restriction_default_action", "Allow", str)
        restricted = action.value == "Deny" if isinstance(action.value, str) else action.value
    restricted, opened = access_decided(_ip_restrictions(reader, site_config), restricted, reader.head)
    return {"access_restricted": rules.with_value(restricted), "access_default_action": action, "access_open_rule": opened}


def _ip_restrictions(reader: _Reader, site_config: Body | None) -> list[AccessRule] | Unknown:
    """The `ip_restriction` rules, as `access_decided` reads them."""
    blocks = reader.all_nested(site_config, "ip_restriction")
    if isinstance(blocks, Unknown):
        return blocks
    rules = []
    for block in blocks:
        address = reader.value(block, "ip_address", None, str, "site_config.ip_restriction")
        priority = reader.value(block, "priority", 65000, None).value
        if isinstance(priority, str) and priority.isdigit():
            priority = int(priority)
        rules.append(AccessRule(address, reader.value(block, "action", "Allow", str).value, priority, _header_filtered(reader, block)))
    return rules


def _header_filtered(reader: _Reader, block: Body) -> Any:
    """Whether a rule's `headers` narrow it: a `headers` block, or (in the argument
    form of the legacy resources) a `headers` list that is not empty."""
    present = reader.present(block, "headers")
    attribute = block.attributes.get("headers")
    if present is not False or attribute is None:
        return present
    value = reader.scope.evaluate(attribute.value)
    return value if isinstance(value, Unknown) else bool(value)


def _ftps_state(reader: _Reader, body: Body, resource_type: str) -> Attr:
    """The FTP state: the current resources send "Disabled" unless told otherwise, the
    legacy ones send nothing, so the API default applies. A flex consumption app has
    no `ftps_state`, and takes no FTP deployments (`flex_consumption_ftp_state`)."""
    if resource_type == "azurerm_function_app_flex_consumption":
        return flex_consumption_ftp_state(reader.head)
    legacy = bool(WEB_APPS[resource_type][1])
    return reader.value(body, "site_config.ftps_state", "AllAllowed" if legacy else "Disabled", str)


def _client_certificates(reader: _Reader, body: Body, resource_type: str) -> dict[str, Attr]:
    """Whether the app asks for client certificates, and in which mode. The current
    function apps default the mode to Optional, the web apps to Required. The legacy
    `azurerm_function_app` has no switch: the provider turns client certificates on
    when `client_cert_mode` is set, so the mode is the switch too. The legacy slots
    have neither: Azure's default, no client certificates, applies."""
    app_kind, successor = WEB_APPS[resource_type]
    if not successor:
        return {"client_cert_enabled": reader.value(body, "client_certificate_enabled", False, bool),
                "client_cert_mode": reader.value(body, "client_certificate_mode", "Optional" if app_kind == "function" else "Required", str)}
    if resource_type in ("azurerm_app_service_slot", "azurerm_function_app_slot"):
        return {"client_cert_enabled": _not_expressed(reader, False), "client_cert_mode": _not_expressed(reader, "Required")}
    mode = reader.value(body, "client_cert_mode", "Required", str)
    if resource_type == "azurerm_function_app":
        enabled = mode.with_value(True) if mode.is_set else Attr(False, reader.head, is_set=False, native="client_cert_mode")
    else:
        enabled = reader.value(body, "client_cert_enabled", False, bool)
    return {"client_cert_enabled": enabled, "client_cert_mode": mode}


def _web_app_images(reader: _Reader, body: Body) -> list[Attr]:
    """The container image, in the forms the providers took it: in
    `site_config.application_stack`, `docker_image_name` with `docker_registry_url`;
    a Linux function app's `docker` block (`registry_url`, `image_name`,
    `image_tag`); in azurerm 3.x, `docker_image` with `docker_image_tag` (Linux web
    apps) or `docker_container_name` with `docker_container_tag` and
    `docker_container_registry` (Windows web apps); or a legacy `linux_fx_version` or
    `windows_fx_version` of the form `DOCKER|image:tag`."""
    stack = "site_config.application_stack."
    name = reader.value(body, stack + "docker_image_name", None, str)
    if name.is_set:
        return [_image(name, reader.value(body, stack + "docker_registry_url", None, str))]
    for image_name, tag, registry in (("docker.image_name", "docker.image_tag", "docker.registry_url"),
                                      ("docker_image", "docker_image_tag", None),
                                      ("docker_container_name", "docker_container_tag", "docker_container_registry")):
        image = reader.value(body, stack + image_name, None, str)
        if image.is_set:
            registry_url = reader.value(body, stack + registry, None, str) if registry else None
            return [_image(_tagged(image, reader.value(body, stack + tag, None, str)), registry_url)]
    for key in ("site_config.linux_fx_version", "site_config.windows_fx_version"):
        version = reader.value(body, key, None, str)
        if isinstance(version.value, str) and version.value.upper().startswith("DOCKER|"):
            return [_image(version.with_value(version.value.split("|", 1)[1]))]
    return []


def _tagged(image: Attr, tag: Attr) -> Attr:
    """An image name with the tag written beside it; not known when the tag is not."""
    if isinstance(image.value, str) and isinstance(tag.value, str):
        return image.with_value(f"{image.value}:{tag.value}")
    if tag.is_set:
        return image.with_value(Unknown(tag.native))
    return image


def _container_group(reader: _Reader, resource_type: str, name: str) -> Resource:
    body = reader.body
    subnets = joined_subnets(reader.value(body, "subnet_ids", [], list), reader.value(body, "network_profile_id", None, str))
    credentials = []
    for registry_login in body.blocks_of("image_registry_credential"):
        identity = reader.value(registry_login.body, "user_assigned_identity_id")
        password = reader.value(registry_login.body, "password")
        location = reader.place(registry_login, registry_login)
        if identity.is_set:
            credentials.append(Attr("identity", identity.location))
        elif password.is_set:
            credentials.append(Attr("password", password.location))
        else:
            credentials.append(Attr(Unknown("credential kind"), location))
    attrs = {
        "ip_address_type": reader.value(body, "ip_address_type", "Public", str),
        "subnet_ids": subnets,
        "identity": reader.identity(body),
        "registry_credentials": Attr(credentials, reader.head, native="image_registry_credential"),
    }
    group = reader.resource("container_group", attrs)
    restart = reader.value(body, "restart_policy", "Always", str)
    long_running = restart.value == "Always"
    containers = [
        _aci_container(reader, block, role, long_running and role == "container")
        for role, block_type in (("init", "init_container"), ("container", "container"))
        for block in body.blocks_of(block_type)
    ]
    return [group, *containers]


def _aci_container(reader: _Reader, block: Block, role: str, long_running: bool) -> Resource:
    """A container of a container group. azurerm can express the image, the
    environment and `security.privilege_enabled`; the rest of a security context
    cannot be set here, so rules about it are scoped to other formats."""
    body = block.body
    name = reader.value(body, "name", None, str)
    location = name.location if name.is_set else reader.place(block, block)
    image = _image(reader.value(body, "image", None, str))
    env = reader.environment(body, "environment_variables", "environment variable")
    env += reader.environment(body, "secure_environment_variables", "secure environment variable", secure=True)
    attrs = {
        "name": name,
        "role": Attr(role, location),
        "long_running": Attr(long_running, location),
        "image": image,
        "images": Attr([image] if image.is_set else [], location),
        "privileged": reader.value(body, "security.privilege_enabled", False, bool),
        "env": Attr(env, location),
    }
    label = name.value if isinstance(name.value, str) else "unnamed"
    return reader.resource("container", attrs, f"/{'init_containers' if role == 'init' else 'containers'}/{label}", location)


def _registry(reader: _Reader, resource_type: str, name: str) -> Resource:
    body = reader.body
    trust = first_set(reader.value(body, "trust_policy_enabled", False, bool), reader.value(body, "trust_policy.enabled", False, bool))
    attrs = {
        "sku": reader.value(body, "sku", None, str),
        "admin_enabled": reader.value(body, "admin_enabled", False, bool),
        "public_network_access": reader.value(body, "public_network_access_enabled", True, bool),
        "network_default_action": reader.value(body, "network_rule_set.default_action", "Allow", str),
        "anonymous_pull": reader.value(body, "anonymous_pull_enabled", False, bool),
        "content_trust": trust,
        "quarantine": reader.value(body, "quarantine_policy_enabled", False, bool),
    }
    return reader.resource("registry", attrs)


# Arguments and blocks of `azurerm_kubernetes_cluster` that azurerm 3.0 removed (the
# 3.0 upgrade guide; `agent_pool_profile` went earlier, in 2.0): a cluster written with
# any of them is managed by an older provider, whose defaults differ.
_BEFORE_AZURERM_3 = ("addon_profile", "role_based_access_control", "private_link_enabled", "agent_pool_profile")


def _cluster(reader: _Reader, resource_type: str, name: str) -> Resource:
    body = reader.body
    ranges = first_set(reader.value(body, "api_server_access_profile.authorized_ip_ranges", [], list), reader.value(body, "api_server_authorized_ip_ranges", [], list))
    pools = [(reader.nested(body, "default_node_pool"), "default_node_pool")]
    pools += [(block.body, "agent_pool_profile") for block in body.blocks_of("agent_pool_profile")]  # azurerm 1.x
    local_disabled = reader.value(body, "local_account_disabled", False, bool)
    attrs = {
        "rbac_enabled": _cluster_rbac(reader, body),
        "local_accounts_enabled": negated(local_disabled),
        "network_policy": network_policy_engine(reader.value(body, "network_profile.network_policy", None, str), _data_plane(reader, body)),
        "private_cluster": first_set(reader.value(body, "private_cluster_enabled", False, bool), reader.value(body, "private_link_enabled", False, bool)),
        "authorized_ip_ranges": ranges,
        "defender_enabled": reader.block_flag(body, "microsoft_defender"),
        "azure_policy_enabled": _by_provider(body, reader.value(body, "azure_policy_enabled", False, bool), _legacy_addon(reader, body, "azure_policy")),
        "monitoring_enabled": _cluster_addon(reader, body, "oms_agent", "oms_agent"),
        "node_public_ips": Attr([_node_public_ip(reader, pool, within) for pool, within in pools], reader.head),
        "secrets_store_csi": _cluster_addon(reader, body, "key_vault_secrets_provider", "azure_keyvault_secrets_provider"),
    }
    return reader.resource("k8s_cluster", attrs)


def _data_plane(reader: _Reader, body: Body) -> Attr:
    """The network data plane: `network_data_plane`, or azurerm 3.x's deprecated
    `ebpf_data_plane`."""
    return first_set(reader.value(body, "network_profile.network_data_plane", "azure", str), reader.value(body, "network_profile.ebpf_data_plane", None, str))


def _cluster_rbac(reader: _Reader, body: Body) -> Attr:
    """`role_based_access_control_enabled` (azurerm 3.x on, true by default), else the
    older `role_based_access_control { enabled }`. Before 3.0 a cluster without that
    block was created with RBAC off: the provider sent `enableRBAC: false`
    (`expandKubernetesClusterRoleBasedAccessControl` in azurerm 2.x)."""
    current = reader.value(body, "role_based_access_control_enabled", True, bool)
    return _by_provider(body, current, reader.value(body, "role_based_access_control.enabled", False, bool))


def _cluster_addon(reader: _Reader, body: Body, block: str, legacy_block: str) -> Attr:
    """An add-on turned on by its block (azurerm 3.x on) or, before 3.0, by `enabled`
    in its block inside `addon_profile`."""
    return _by_provider(body, reader.block_flag(body, block), _legacy_addon(reader, body, legacy_block))


def _by_provider(body: Body, current: Attr, legacy: Attr) -> Attr:
    """A cluster setting as azurerm 3.0 and later spell it (`current`) or, for a
    cluster written for an earlier provider that does not write that spelling, as
    that provider spells it (`legacy`): its default and its name are the ones that
    apply, also when the setting is absent."""
    return current if current.is_set or not _written_before_azurerm_3(body) else legacy


def _legacy_addon(reader: _Reader, body: Body, name: str) -> Attr:
    """`addon_profile { NAME { enabled = ... } }`, the azurerm 2.x add-on syntax."""
    return reader.value(body, f"addon_profile.{name}.enabled", False, bool)


def _written_before_azurerm_3(body: Body) -> bool:
    """Whether the cluster uses syntax that only providers before azurerm 3.0 accept;
    a `dynamic` block counts, whatever its `for_each`, since 3.0 rejects the name."""
    written = {block.type for block in body.blocks} | set(body.attributes)
    written |= {block.labels[0] for block in body.blocks_of("dynamic") if block.labels}
    return any(name in written for name in _BEFORE_AZURERM_3)


def _node_pool(reader: _Reader, resource_type: str, name: str) -> Resource:
    return reader.resource("k8s_node_pool", {"node_public_ip": _node_public_ip(reader, reader.body)})


def _node_public_ip(reader: _Reader, pool: Body | None, within: str = "") -> Attr:
    """Whether a pool's nodes get public IPs: `node_public_ip_enabled` (azurerm 4.x),
    earlier `enable_node_public_ip`; `within` is the pool's block in a cluster."""
    return first_set(reader.value(pool, "node_public_ip_enabled", False, bool, within), reader.value(pool, "enable_node_public_ip", False, bool, within))


def _key_vault(reader: _Reader, resource_type: str, name: str) -> Resource:
    body = reader.body
    attrs = {
        "purge_protection": reader.value(body, "purge_protection_enabled", False, bool),
        "public_network_access": reader.value(body, "public_network_access_enabled", True, bool),
        "network_default_action": reader.value(body, "network_acls.default_action", None, str),
        "rbac_authorization": first_set(reader.value(body, "rbac_authorization_enabled", False, bool), reader.value(body, "enable_rbac_authorization", False, bool)),
    }
    return reader.resource("key_vault", attrs)


def _credentials(reader: _Reader, resource_type: str, name: str) -> Iterator[Resource]:
    """The attributes of the resource that hold a credential, as a `cloud_resource`
    (none when it sets no such attribute). Each value is located where it was written:
    at a variable's default or a module call's argument when the attribute only names
    the variable."""
    found = []
    for path, holds in CREDENTIAL_ATTRIBUTES.get(resource_type, {}).items():
        *blocks, attribute_name = path.split(".")
        bodies = [reader.body]
        for block_type in blocks:
            bodies = [block.body for body in bodies for block in body.blocks_of(block_type)]
        for body in bodies:
            attribute = body.attributes.get(attribute_name)
            if attribute is not None:
                value = reader.scope.evaluate(attribute.value)
                found.append(credential(path, holds, value, reader.located(attribute, to_literal=True)))
    if found:
        yield reader.resource("cloud_resource", {"credentials": Attr(found, reader.head)})


_BUILDERS = {
    **dict.fromkeys(WEB_APPS, _web_app),
    "azurerm_container_group": _container_group,
    "azurerm_container_registry": _registry,
    "azurerm_kubernetes_cluster": _cluster,
    "azurerm_kubernetes_cluster_node_pool": _node_pool,
    "azurerm_key_vault": _key_vault,
}


def normalize_json(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    """The resources of a `.tf.json` file (its JSON document read as HCL blocks)."""
    from iacguard.parsers import terraform_json  # with the JSON and YAML layers: a `.tf` file needs neither

    return normalize(replace(parsed, native=terraform_json.read(parsed.native, is_block)), context)


def configuration_file(path: Path, context: ScanContext, named_at: tuple[int, int] | None = None) -> HclFile | None:
    """A module's file, read and parsed as a dependency of the scanned file (None
    when refused or not parsed: see `ParseCache.dependency`), named `named_at` the
    line and column of the scanned file's module `source`, when it writes one."""
    cache = _json_files if path.name.endswith(JSON_SUFFIX) else parsed_files
    return cache.dependency(path, context, named_at)


def _read_json_file(text: str) -> HclFile:
    from iacguard.parsers import positional_json, terraform_json

    return terraform_json.read(positional_json.parse(text), is_block)


_json_files = ParseCache(_read_json_file)


def normalised(resource_type: str) -> bool:
    """True for the resource types this normaliser makes resources of."""
    return resource_type in _BUILDERS or resource_type in CREDENTIAL_ATTRIBUTES


def resources_of(path: str, body: Body, scope: ModuleScope, prefix: str = "") -> Iterator[Resource]:
    """The resources of the `resource` blocks of `body`, written in the file at `path`
    and evaluated in `scope`, their addresses under `prefix` (`module.NAME.`): how the
    plan format has the resource instances of a plan normalised as a file's are."""
    return _resources(path, body, scope, prefix)


def _nested_blocks(by_type: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    """The block paths of `by_type` and of the credential table (every step of a
    credential's path but the last names a block), each with its ancestors."""
    table: dict[str, set[str]] = {}

    def add(resource_type: str, path: str) -> None:
        steps = path.split(".")
        table.setdefault(resource_type, set()).update(".".join(steps[:depth]) for depth in range(1, len(steps) + 1))

    for resource_type, paths in by_type.items():
        for path in paths:
            add(resource_type, path)
    for resource_type, credentials in CREDENTIAL_ATTRIBUTES.items():
        for path in credentials:
            if "." in path:
                add(resource_type, path.rpartition(".")[0])
    return {resource_type: frozenset(paths) for resource_type, paths in table.items()}


# Which names are nested blocks, by resource type, as dotted paths from the resource:
# the blocks the builders above read. Terraform's JSON forms (a `.tf.json` file, a
# plan) write a block and an argument whose value is an object alike, as a JSON object
# (`site_config` and `app_settings`), so this is what tells them apart. A block this
# table lacks would be read from JSON as an argument, and the builders would not find
# it: the test that reads every Terraform fixture again as `.tf.json` keeps it whole.
NESTED_BLOCKS = _nested_blocks({
    **dict.fromkeys(WEB_APPS, ("site_config.application_stack.docker", "site_config.ip_restriction", "identity")),
    "azurerm_container_group": ("container.security", "init_container.security", "image_registry_credential", "identity"),
    "azurerm_container_registry": ("network_rule_set", "trust_policy"),
    "azurerm_kubernetes_cluster": (
        "api_server_access_profile", "default_node_pool", "agent_pool_profile", "network_profile", "role_based_access_control",
        "microsoft_defender", "oms_agent", "key_vault_secrets_provider",
        "addon_profile.azure_policy", "addon_profile.oms_agent", "addon_profile.azure_keyvault_secrets_provider",
    ),
    "azurerm_key_vault": ("network_acls",),
})


def is_block(resource_type: str, path: str) -> bool:
    """True when `path` (`site_config.ip_restriction`) names a nested block of the
    resource type, as far as the normaliser reads it."""
    return path in NESTED_BLOCKS.get(resource_type, ())
