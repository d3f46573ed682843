"""Kubernetes manifests and `helm template` output: YAML streams whose documents
have `apiVersion` and `kind`. Other YAML (CI files, Compose, unrendered Helm
templates) is not claimed.

A Helm template is told apart by `{{` outside quoted strings: template actions stand
bare (`{{- include ... }}`, `name: {{ .Release.Name }}`), while rendered output
carries `{{` only as text, such as a dashboard's `"legendFormat": "{{pod}}"` in a
ConfigMap, and must still be scanned."""

from __future__ import annotations

import re

from iacguard.diagnostics import CONTENT_WARNING
from iacguard.formats import Claim, ParsedFile

_API_VERSION = re.compile(r"^apiVersion:[ \t]*\S", re.MULTILINE)
_KIND = re.compile(r"^kind:[ \t]*\S", re.MULTILINE)
_QUOTED = re.compile(r"\"(?:\\.|[^\"\\\n])*\"|'(?:[^'\n]|'')*'")


class KubernetesFormat:
    name = "kubernetes"
    label = "Kubernetes"
    kinds = ("container", "pod", "k8s_rbac")

    def claim(self, filename: str) -> Claim:
        return Claim.MAYBE if filename.lower().endswith((".yaml", ".yml")) else Claim.NO

    def sniff(self, text: str) -> bool:
        return bool(_API_VERSION.search(text)) and bool(_KIND.search(text)) and not _is_template(text)

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import yaml as positional_yaml  # loaded on first use: start-up time counts

        loaded = positional_yaml.load(text)
        diagnostics = [
            (mark.line, mark.column, f"duplicate key {key!r}: the last value is used here, and kubectl rejects the file", "warning", CONTENT_WARNING)
            for key, mark in loaded.duplicate_keys
        ]
        return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans, diagnostics)


def _is_template(text: str) -> bool:
    """True when `{{` stands outside quoted strings on some line."""
    if "{{" not in text:
        return False
    return any("{{" in _QUOTED.sub("", line) for line in text.splitlines() if "{{" in line)
