"""Kubernetes manifests and `helm template` output: YAML streams and JSON files whose
documents have `apiVersion` and `kind`. Other YAML (CI files, Compose, unrendered
Helm templates) and other JSON (package files) are not claimed; an ARM template or a
Terraform plan, whose resources may have those keys too, is its own format's, asked
first (see `iacguard.discovery`).

Manifests come in any syntax `kubectl apply` takes: block or flow style, quoted
keys, documents indented under `---`, a UTF-8 byte order mark (dropped when the file
is read), and JSON: a single object, a `List`, or `kubectl get -o json` output with
its `status`. The sniff looks for the two keys as mapping keys anywhere in the file;
a claimed file whose documents are not Kubernetes objects gives no resources and no
findings.

A Helm template is told apart by `{{` outside quoted strings: template actions stand
bare (`{{- include ... }}`, `name: {{ .Release.Name }}`), while rendered output
carries `{{` only as text, such as a dashboard's `"legendFormat": "{{pod}}"` in a
ConfigMap, and must still be scanned."""

from __future__ import annotations

import re

from iacguard.diagnostics import CONTENT_WARNING
from iacguard.formats import Claim, ParsedFile
from iacguard.lazy import regex

# A mapping key at the start of a line (any indentation) or after `{` or `,` (flow
# style and JSON), bare or quoted, followed by a value, which YAML and JSON let stand
# on a later line (`apiVersion:\n  v1`, `"kind"\n: "Pod"`), as the colon may.
_API_VERSION = regex(r"""(?:^[ \t]*|[{,][ \t]*)(?:apiVersion|"apiVersion"|'apiVersion')\s*:\s*\S""", re.MULTILINE)
# A ConfigMap or Secret as kubectl writes it, keys in order: `data` (or `binaryData`)
# before `kind`, which a large one pushes past the head a file is told by.
_TOP_API_VERSION = regex(r"^apiVersion:[ \t]*[\"']?(?:[a-z0-9.-]+/)?v\d+[a-z0-9]*[\"']?[ \t]*$", re.MULTILINE)
_TOP_DATA = regex(r"^(?:binaryData|data):[ \t]*$", re.MULTILINE)
# An action of Helm's own (its objects and functions), wherever it stands: Prometheus'
# `{{ $labels.pod }}` kept as text is none.
_HELM_ACTION = regex(r"\{\{-|-\}\}|\{\{[^}]*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template\b|\binclude\b|\btemplate\b|\btpl\b)")
_KIND = regex(r"""(?:^[ \t]*|[{,][ \t]*)(?:kind|"kind"|'kind')\s*:\s*\S""", re.MULTILINE)
_QUOTED = regex(r"\"(?:\\.|[^\"\\\n])*\"|'(?:[^'\n]|'')*'")
# A Go template action where YAML reads structure: at the start of a line's content
# (after list dashes), or where a value starts (after `key:`, `- `, `[`, `,`).
_ACTION = regex(r"(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[,][ \t]*)\{\{")
_COMMENT = regex(r"(?:^|[ \t])#.*")
_BLOCK_SCALAR = regex(r"(?:^|[ \t:])[|>][-+0-9]*[ \t]*$")  # a value that opens a block scalar


class KubernetesFormat:
    name = "kubernetes"
    label = "Kubernetes"
    kinds = ("k8s_object", "container", "pod", "k8s_rbac", "k8s_data")

    def claim(self, filename: str) -> Claim:
        return Claim.MAYBE if filename.lower().endswith((".yaml", ".yml", ".json")) else Claim.NO

    def sniff(self, text: str) -> bool:
        """`apiVersion` and `kind`, or a Kubernetes `apiVersion` and `data` at the top
        level (`kind` may come after the head a file is told by: kubectl writes keys
        in order, so a ConfigMap's `data` comes first), in what is no chart template."""
        if "apiVersion" not in text:
            return False  # most other files, large ones included: one search in C
        told = bool(_API_VERSION.search(text)) and bool(_KIND.search(text))
        told = told or bool(_TOP_API_VERSION.search(text)) and bool(_TOP_DATA.search(text))
        return told and not _is_template(text)

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import positional_json  # loaded on first use: start-up time counts
        from iacguard.parsers import yaml as positional_yaml

        # JSON is read at C speed; what json.loads refuses goes to the YAML layer,
        # which reads JSON too and reports a real error with its line.
        loaded = positional_json.load(text) if text.lstrip().startswith(("{", "[")) else None
        if loaded is None:
            loaded = positional_yaml.load(text)
        diagnostics = [
            (mark.line, mark.column, f"duplicate key {key!r}: the last value is used here, and kubectl rejects the file", "warning", CONTENT_WARNING)
            for key, mark in loaded.duplicate_keys
        ]
        return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans, diagnostics)


def _is_template(text: str) -> bool:
    """True when a Go template action stands where YAML reads structure (a chart's
    template: `{{- if ... }}`, `name: {{ .Release.Name }}`), which no YAML reader
    takes as written, or is Helm's own wherever it stands outside quotes
    (`name: app-{{ .Release.Name }}`). Another in quoted text, a comment, a block
    scalar's lines or in the middle of a plain value (an alert's `summary: Pod {{
    $labels.pod }} down`) is text of valid YAML: the file is a manifest."""
    if "{{" not in text:
        return False
    block = None  # the indentation of the line that opened a block scalar
    for line in text.splitlines():
        content = line.lstrip()
        indentation = len(line) - len(content)
        if block is not None:
            if not content or indentation > block:
                continue
            block = None
        written = _COMMENT.sub("", _QUOTED.sub('""', line))
        if "{{" in written and (_ACTION.search(written) or _HELM_ACTION.search(written)):
            return True
        if _BLOCK_SCALAR.search(written):
            block = indentation
    return False
