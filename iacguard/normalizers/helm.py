"""Helm charts as Kubernetes resources.

A chart is copied through the one input door into a private temporary folder
(`iacguard.helm.charts`), rendered there in a process of its own once per value set
(`iacguard.helm.render`), and the output is read by the Kubernetes normalizer as
`helm template` output. Every location is then moved from the output to the
template line that wrote it (`iacguard.helm.lines` says what is exact and what is
approximate); a template the chart's folder does not hold (a subchart vendored as an
archive) is located at the chart's `Chart.yaml`.

Value sets: the chart's own values, then each set configured for the chart
(`helm_value_sets`), then the set given by `--helm-values`. The files of one set
merge as `helm template -f a -f b` merges them. A template line rendered by several
sets (or several passes of a loop) is reported once per rule (see the runner).

The release is named `release-name`, as `helm template` names it, and placed in the
namespace `RELEASE_NAMESPACE`, which the Kubernetes normalizer reads as "chosen at
install": a namespace the template takes from `.Release.Namespace` is treated as
unset, while one the chart writes out is what it says.

Diagnostics: no renderer, or a render that fails, is an IG008 error (the chart is
incomplete); a dependency that is not vendored in `charts/` is dropped from the copy
with an IG006 note (it is never fetched); a chart file or value file that the door
refuses, and a link to a folder out of the scan root or into a folder it lies in
(`chart_files`), is an IG005 error without a line (no line of `Chart.yaml` names
them); a chart over a size or render budget is IG004. What the Kubernetes normalizer
says of the rendered objects (IG000 for a pod spec's `containers` written as a
mapping) is said of the chart, naming the template.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from iacguard import inputs
from iacguard.diagnostics import NOT_FETCHED, PARSE_ERROR, RENDER_ERROR
from iacguard.discovery import SKIPPED_DIRECTORIES
from iacguard.errors import ParseError
from iacguard.formats import ParsedFile, ScanContext
from iacguard.helm.charts import CHART_FILE, REQUIREMENTS_FILE, ChartFile, chart_files, owns
from iacguard.helm.lines import LineMap
from iacguard.helm.render import INSTALL_HINT, deterministic, render
from iacguard.lazy import regex
from iacguard.model import Location, Resource, relocated
from iacguard.normalizers import kubernetes
from iacguard.normalizers.kubernetes import RELEASE_NAMESPACE
from iacguard.parsers import yaml as positional_yaml
from iacguard.parsers.documents import YMap, YSeq
from iacguard.parsers.kubernetes import KubernetesFormat

_ARCHIVE = regex(r"charts/([^/]+?)-v?\d+\.\d+[^/]*\.tgz")  # NAME-VERSION.tgz: the shortest name before a version
_TEMPLATE_PLACE = regex(r"(?<![\w./-])([\w.-]+(?:/[\w.-]+)+):(\d+)(?::(\d+))?")  # CHART/templates/x.yaml:LINE:COLUMN
_DOCUMENT_START = regex(r"---(?:[ \t]+#.*)?[ \t]*")  # with a comment after it too (`--- # second`), as Helm splits


def normalize(parsed: ParsedFile, context: ScanContext) -> Iterator[Resource]:
    chart = Path(parsed.path).parent
    if context.root is not None and not inputs.inside(chart, context.root):
        context.refuse(chart, "the chart's folder is outside the scan root, so none of its files are read")
        return
    if context.helm_renderer is None:
        parsed.diagnose(RENDER_ERROR, "error", f"the chart is not rendered: no Helm renderer is installed ({INSTALL_HINT})", parsed.path, 1, 1)
        return

    def read(path: Path) -> bytes | None:
        # The files the chart owns are checked only through its render (their
        # suppressions are judged with it); the rest of its folder (`ci/`,
        # `examples/`) is scanned on its own.
        return context.read_dependency_bytes(path, part=owns(chart, path))

    files = chart_files(chart, read, lambda folder: context.dependencies.add(str(folder)), SKIPPED_DIRECTORIES, context.refuse, context.root)
    declared = _vendored_only(parsed, files)
    if declared is None:
        return
    value_sets = [(), *context.helm_value_sets.get(Path(chart).resolve(), ()), *context.helm_value_sets.get(None, ())]
    value_texts = [[context.read_dependency(path) for path in value_set] for value_set in value_sets]
    # A set with a refused file is not rendered: its IG005 makes the chart incomplete.
    renderable = [index for index, texts in enumerate(value_texts) if all(text is not None for text in texts)]
    with tempfile.TemporaryDirectory(prefix="iacguard-chart-") as folder:
        workspace = Path(folder)
        copy = _write_copy(workspace / "chart", files, declared)
        value_paths = [_write_values(workspace / "values" / str(index), value_texts[index]) for index in renderable]
        results = render(context.helm_renderer, workspace, copy, value_paths, RELEASE_NAMESPACE)
    sources = {file.relative: file for file in files}
    for index, copies, result in zip(renderable, value_paths, results):
        label = _label(value_sets[index])
        if result.manifests is None:
            message, where = _render_error(result.error, parsed.path, chart, sources, dict(zip(map(str, copies), value_sets[index])))
            parsed.diagnose(RENDER_ERROR, "error", f"cannot render the chart with {label}: {message}", where.path, where.line, where.column)
            continue
        yield from _resources(parsed, chart, sources, result.manifests, label, context)


def _write_copy(copy: Path, files: list[ChartFile], declared: dict[str, str]) -> Path:
    """The chart's files written to `copy`, with the dependency lists given
    (`declared`, by relative path) and random strings fixed in the templates."""
    for file in files:
        target = copy / file.relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(declared[file.relative].encode("utf-8") if file.relative in declared else _fixed(file))
    return copy


def _write_values(folder: Path, texts: list[str]) -> list[Path]:
    """A value set's files written to `folder`, in order."""
    folder.mkdir(parents=True)
    paths = [folder / f"{number}.yaml" for number in range(len(texts))]
    for path, text in zip(paths, texts):
        path.write_text(text, encoding="utf-8")
    return paths


def _fixed(file: ChartFile) -> bytes:
    """A template's content with its random strings fixed (`render.deterministic`)."""
    if "templates" not in file.relative.split("/"):
        return file.content
    try:
        return deterministic(file.content.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return file.content


def _label(value_set: tuple[Path, ...]) -> str:
    """A value set as messages name it: its files (`_shown`)."""
    return "values " + ", ".join(map(_shown, value_set)) if value_set else "its own values"


def _shown(path: Path) -> str:
    """A value file as messages name it: relative to the working folder when it lies inside it."""
    relative = os.path.relpath(path)
    return Path(relative if not relative.startswith("..") else str(path)).as_posix()


def _render_error(error: str, chart_yaml: str, chart: Path, sources: dict[str, ChartFile], copies: dict[str, Path]) -> tuple[str, Location]:
    """A failed render's message and where it is located: the value file that does
    not parse (named by its copy, `copies`), the chart's `values.yaml` that does not
    load, or the template line Helm names (`CHART/templates/x.yaml:LINE:COLUMN`,
    also inside `execution error at (...)` or `parse error at (...)`) when the
    chart's folder holds it; else the chart's `Chart.yaml`."""
    for copy, original in copies.items():
        if copy in error:
            return error.replace(copy, _shown(original)), Location(_shown(original), _yaml_line(error), 1)
    if error.startswith("cannot load values.yaml:") and "values.yaml" in sources:
        return error, Location((chart / "values.yaml").as_posix(), _yaml_line(error), 1)
    named = _TEMPLATE_PLACE.search(error)
    relative = _template_file(named.group(1), sources, {}) if named else None
    if relative in sources:
        return error, Location((chart / relative).as_posix(), int(named.group(2)), int(named.group(3) or 1))
    return error, Location(chart_yaml, 1, 1)


def _yaml_line(error: str) -> int:
    """The line a YAML error names (`yaml: line 3: ...`), or 1."""
    line = re.search(r"\byaml: line (\d+):", error)
    return int(line.group(1)) if line else 1


def _vendored_only(parsed: ParsedFile, files: list[ChartFile]) -> dict[str, str] | None:
    """The files that list the chart's dependencies, as the copy gets them: its
    Chart.yaml and, for an apiVersion v1 chart, `requirements.yaml` (Helm 3 stops
    on a dependency listed there that `charts/` lacks; the Helm 4 library renders
    without it, silently). None when one cannot be written, after an error."""
    vendored = _vendored(files)
    chart_yaml = _without_missing_dependencies(parsed, parsed.native, parsed.text, parsed.path, vendored)
    if chart_yaml is None:
        return None
    declared = {CHART_FILE: chart_yaml}
    for file in files:
        if file.relative == REQUIREMENTS_FILE:
            path, text = str(Path(parsed.path).parent / REQUIREMENTS_FILE), file.content.decode("utf-8", "replace")
            try:
                requirements = positional_yaml.load(text)
            except ParseError as error:
                parsed.diagnose(PARSE_ERROR, "error", f"cannot read the chart's dependencies: {error.message}", path, error.line or 1, error.column or 1)
                return None
            declared[REQUIREMENTS_FILE] = _without_missing_dependencies(parsed, requirements, text, path, vendored)
            if declared[REQUIREMENTS_FILE] is None:
                return None
    return declared


def _without_missing_dependencies(parsed: ParsedFile, native, text: str, path: str, vendored: set[str]) -> str | None:
    """A file listing dependencies (`text` at `path`, parsed as `native`) as the copy
    gets it: dependencies whose chart is not among the `vendored` ones are dropped,
    each with an IG006 note, so the renderer never
    looks for them. None when one cannot be dropped (written in flow style), after
    an IG008 error."""
    documents = native.documents
    metadata = documents[0].root if documents else None
    dependencies = metadata.get("dependencies") if isinstance(metadata, YMap) else None
    if not isinstance(dependencies, YSeq):
        return text
    lines = text.split("\n")
    dropped: set[int] = set()
    for index, dependency in enumerate(dependencies):
        name = dependency.get("name") if isinstance(dependency, YMap) else None
        if not isinstance(name, str) or name in vendored:
            continue
        start, end = dependencies.item_marks[index].line, dependency.end_line
        if start > 1 and lines[start - 2].strip() == "-":
            start -= 1
        if not lines[start - 1].lstrip().startswith("-") or _shares_lines(dependencies, index, start, end):
            parsed.diagnose(RENDER_ERROR, "error", f"dependency {name} is not vendored in charts/ and cannot be left out of the render: "
                            "write the dependencies list in block style", path, start, 1)
            return None
        repository = dependency.get("repository")
        where = f" from {repository}" if isinstance(repository, str) and repository else ""
        parsed.diagnose(NOT_FETCHED, "note", f"dependency {name}{where} is not vendored in charts/, so it is not rendered or checked "
                        "(iacguard never fetches; vendor it with `helm dependency build`)", path, start, dependencies.item_marks[index].column)
        dropped.update(range(start, end + 1))
    return "\n".join(line for number, line in enumerate(lines, 1) if number not in dropped)


def _vendored(files: list[ChartFile]) -> set[str]:
    """The names of the charts vendored in `charts/`, as Helm matches dependencies
    with them: a folder's by the name its `Chart.yaml` says (not the folder's name),
    an archive's by its file name, `NAME-VERSION.tgz` as `helm dependency build`
    writes it (archives are not opened here)."""
    archives = (_ARCHIVE.fullmatch(file.relative) for file in files)
    return set(_chart_folders({file.relative: file for file in files}, "")) | {archive.group(1) for archive in archives if archive}


def _shares_lines(items: YSeq, index: int, start: int, end: int) -> bool:
    """True when another item of the list starts on the lines of this one."""
    return any(start <= mark.line <= end for other, mark in enumerate(items.item_marks) if other != index)


def _resources(parsed: ParsedFile, chart: Path, sources: dict[str, ChartFile], manifests: dict[str, str], label: str,
               context: ScanContext) -> Iterator[Resource]:
    """The resources of one render, located in the templates."""
    stream: list[str] = []
    places: list[tuple[str, LineMap | None, int]] = []  # per stream line: template, its line map, rendered line
    subcharts: dict[str, dict[str, str]] = {}
    for name in sorted(manifests):
        output = manifests[name]
        if not output.strip():
            continue
        relative = _template_file(name, sources, subcharts)
        source = sources.get(relative) if relative is not None else None
        template = (chart / relative).as_posix() if source is not None else parsed.path
        line_map = _line_map(source, output)
        # the template's file when the folder holds it (where its findings point),
        # else the name Helm gives it, relative to the chart
        named = template if source is not None else name
        header = [("---", 0), (f"# Source: {named}", 0)]
        body = []
        for number, line in enumerate(output.split("\n"), 1):
            body.append((line, number))
            if _DOCUMENT_START.fullmatch(line):  # each document of the template names it
                body.append((f"# Source: {named}", number))
        for line, number in header + body:
            stream.append(line)
            places.append((template, line_map, number))
    rendered_text = "\n".join(stream)

    def move(location: Location) -> Location:
        if location.path != parsed.path or not 0 < location.line <= len(places):
            return location
        template, line_map, number = places[location.line - 1]
        if line_map is None or number == 0:
            return Location(template, 1, 1)
        line, column, _ = line_map.locate(number, location.column)
        return Location(template, line, column)

    try:
        rendered = KubernetesFormat().parse(rendered_text, parsed.path)
    except ParseError as error:
        where = move(Location(parsed.path, error.line or 1, error.column or 1))
        parsed.diagnose(PARSE_ERROR, "error", f"the chart rendered with {label} is not valid YAML: {error.message}", where.path, where.line, where.column)
        return
    parse_warnings = len(rendered.diagnostics)  # duplicate keys in the output: not reported for a chart
    for resource in kubernetes.normalize(rendered, context, chart_rendered=True):
        yield relocated(resource, move)
    for line, column, message, level, code in rendered.diagnostics[parse_warnings:]:  # what reading the objects found
        where = move(Location(parsed.path, line, column))
        parsed.diagnose(code, level, message, where.path, where.line, where.column)


def _template_file(name: str, sources: dict[str, ChartFile], subcharts: dict[str, dict[str, str]]) -> str | None:
    """The chart file, relative to the chart, that Helm names `name`
    (`CHART/templates/x.yaml`, `CHART/charts/SUB/templates/x.yaml`): Helm names a
    subchart by its alias or its chart name, not by the folder it is vendored in.
    None for a subchart the folder does not hold (vendored as an archive).
    `subcharts` keeps `_subcharts` by folder."""
    parts = name.split("/")[1:]
    folder = ""
    while len(parts) > 2 and parts[0] == "charts":
        if folder not in subcharts:
            subcharts[folder] = _subcharts(sources, folder)
        if parts[1] not in subcharts[folder]:
            return None
        folder, parts = subcharts[folder][parts[1]], parts[2:]
    return "/".join([folder, *parts] if folder else parts)


def _subcharts(sources: dict[str, ChartFile], folder: str) -> dict[str, str]:
    """The charts vendored as folders in the `charts/` of the chart in `folder`
    (relative to the top chart, "" for it) by the names Helm gives them: the name
    their `Chart.yaml` says, and the aliases the dependencies of `folder`'s chart
    give those names. Each maps to the subchart's folder, relative to the top chart."""
    found = _chart_folders(sources, folder)
    for listing in (CHART_FILE, REQUIREMENTS_FILE):
        dependencies = _metadata(sources.get(f"{folder}/{listing}" if folder else listing)).get("dependencies")
        for dependency in dependencies if isinstance(dependencies, list) else ():
            name, alias = (dependency.get("name"), dependency.get("alias")) if isinstance(dependency, dict) else (None, None)
            if isinstance(alias, str) and name in found:
                found.setdefault(alias, found[name])
    return found


def _chart_folders(sources: dict[str, ChartFile], folder: str) -> dict[str, str]:
    """The charts vendored as folders in the `charts/` of the chart in `folder`
    (relative to the top chart, "" for it), by the name their `Chart.yaml` says."""
    prefix = f"{folder}/charts/" if folder else "charts/"
    found: dict[str, str] = {}
    for relative in sorted(sources):
        inner = relative[len(prefix):].split("/") if relative.startswith(prefix) else ()
        name = _metadata(sources[relative]).get("name") if len(inner) == 2 and inner[1] == CHART_FILE else None
        if isinstance(name, str):
            found.setdefault(name, prefix + inner[0])
    return found


def _metadata(file: ChartFile | None) -> dict:
    """A chart's `Chart.yaml` (or `requirements.yaml`) as a mapping; empty when it
    is missing or does not parse (the renderer says why)."""
    if file is None:
        return {}
    try:
        documents = positional_yaml.load(file.content.decode("utf-8", "replace")).documents
    except ParseError:
        return {}
    return documents[0].root if documents and isinstance(documents[0].root, dict) else {}


def _line_map(source: ChartFile | None, output: str) -> LineMap | None:
    if source is None:
        return None
    try:
        return LineMap(source.content.decode("utf-8"), output)
    except UnicodeDecodeError:
        return None
