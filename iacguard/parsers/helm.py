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
"""

from __future__ import annotations

from pathlib import PurePath

from iacguard.formats import Claim, ParsedFile
from iacguard.helm.charts import CHART_FILE


class HelmChartFormat:
    name = "helm"
    label = "Helm chart"
    kinds: tuple[str, ...] = ()
    # The format its templates render into: what it checks, and why a template line,
    # rendered once per value set and loop pass, is reported once (see the runner).
    renders = "kubernetes"

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename == CHART_FILE else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import yaml as positional_yaml  # loaded on first use: start-up time counts

        if PurePath(path).name == CHART_FILE:
            loaded = positional_yaml.load(text)
            return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans)
        return ParsedFile(path, self.name, text, None, positional_yaml.comments(text))
