"""The renderer process of the optional `helm` extra: `python -I -m iacguard.helm.library
REQUEST`, started by `iacguard.helm.render` and never imported by the scanning process
(it loads the Helm library, a Go runtime, through ctypes).

REQUEST is a JSON file naming the chart copy, the release name and namespace, and the
value sets; the answer, on standard output, is a JSON list with one item per set:
`{"manifests": {template: output}}` or `{"error": message}`. Value files are merged
as `helm template -f a -f b` merges them (maps key by key, anything else replaced),
then over the chart's own values by the library, as an install does. `NOTES.txt` is
rendered (a chart may `fail` there, as under `helm template`) but not returned.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def merge(base: dict, override: dict) -> dict:
    """`override` over `base`, maps merged key by key (Helm's mergeMaps)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def render_set(helm, request: dict, files: list[str]) -> dict:
    """One item of the answer: the chart rendered with the value files `files`."""
    values: dict = {}
    for path in files:
        try:
            values = merge(values, helm.values_from_yaml(Path(path).read_text(encoding="utf-8")) or {})
        except helm.HelmError as error:
            return {"error": f"failed to parse {path}: {error}"}  # as `helm template` names the file
    try:
        # Loaded again for each set: a render removes from the loaded chart the
        # subcharts its values disable (`condition`, `tags`), which another set may
        # enable.
        with helm.Chart.load(request["chart"]) as chart:
            manifests = chart.render(values, name=request["release"], namespace=request["namespace"])
    except helm.HelmError as error:
        return {"error": str(error)}
    return {"manifests": {name: text for name, text in manifests.items() if not name.endswith("/NOTES.txt")}}


def main(request_path: str) -> int:
    import helm_python as helm

    request = json.loads(Path(request_path).read_text(encoding="utf-8"))
    results = [render_set(helm, request, files) for files in request["value_sets"]]
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
