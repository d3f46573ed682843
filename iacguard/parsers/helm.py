"""Helm charts, claimed by their `Chart.yaml`.

A chart is one scan target: its `Chart.yaml` stands for the folder (which files it
owns is `iacguard.helm.charts`), and the normalizer renders the chart and reads the
output as Kubernetes manifests. Parsing `Chart.yaml` reads its metadata (name,
dependencies). The same format also reads the chart's templates, where findings
point: only for their lines and `#` comments (suppressions), since a template is
YAML only once rendered.

The format contributes no canonical kinds of its own: the resources are the
Kubernetes normalizer's (`renders`), so the Kubernetes fixtures of every rule cover
them, and `iacguard rules` and `explain --for helm` show what Kubernetes shows.

Which files use a changed one (`iacguard.dependents`): a file the chart owns is
checked only through the chart, and so is a values file that the config (or
`--helm-values`) renders a chart with.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath

from iacguard.formats import Claim, Comment, ParsedFile
from iacguard.helm.charts import CHART_FILE
from iacguard.inputs import identity
from iacguard.lazy import regex
from iacguard.structs import replace

_NOT_A_BREAK = regex(r"[^\n]")  # an action's characters, line breaks kept (`_template_comments`)


class HelmChartFormat:
    name = "helm"
    label = "Helm chart"
    kinds: tuple[str, ...] = ()
    # The format its templates render into: what it checks, and why a template line,
    # rendered once per value set and loop pass, is reported once (see the runner).
    renders = "kubernetes"

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename == CHART_FILE else Claim.NO

    def users(self, changed: Path, tree, parts_only: bool = False) -> Iterator:  # every use is a part
        from iacguard.dependents import Use

        chart = tree.discovery.charts and tree.discovery.charts.owner(changed)
        if chart and changed != chart / CHART_FILE:
            yield Use(chart / CHART_FILE, f"the chart renders {tree.display(changed)}", part=True)
        for folder, value_sets in tree.settings.helm_value_sets.items():
            if any(identity(changed) == identity(path) for files in value_sets for path in files):
                charts = [folder / CHART_FILE] if folder is not None else tree.files(self)
                for user in charts:
                    yield Use(user, f"the chart is rendered with {tree.display(changed)}", part=True)

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import yaml as positional_yaml  # loaded on first use: start-up time counts

        if PurePath(path).name == CHART_FILE:
            loaded = positional_yaml.load(text)
            return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans)
        return ParsedFile(path, self.name, text, None, _template_comments(text))


def _template_comments(template: str) -> list[Comment]:
    """The `#` comments of a template, read as YAML: its actions stand for plain text
    of their size (`name: {{ .Release.Name }}-web`, `image: "{{ ... }}"`), or blanks
    on a line of actions alone (`{{- if ... }}`, `{{- toYaml ... | nindent 4 }}`), so
    a `#` in a quoted or block scalar is text as it is once rendered, and a `#` in an
    action is no comment. What an action prints is not known: one that opens a quote
    or a block scalar (`{{ "|" }}`) is read as plain text."""
    from iacguard.helm.lines import ACTION  # here: a scan of other files does not make its classes and expressions
    from iacguard.parsers import yaml as positional_yaml

    marked = ACTION.sub(lambda action: _NOT_A_BREAK.sub("\0", action.group()), template)
    as_yaml = "\n".join(line.replace("\0", "x" if line.strip(" \t\r\0") else " ") for line in marked.split("\n"))
    written = template.split("\n")
    return [replace(comment, text=written[comment.line - 1][comment.column - 1:].rstrip()) for comment in positional_yaml.comments(as_yaml)]
