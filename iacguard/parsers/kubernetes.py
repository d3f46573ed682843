"""Kubernetes manifests and `helm template` output: YAML streams whose documents
have `apiVersion` and `kind`. Other YAML (CI files, Compose, unrendered Helm
templates with `{{ }}`) is not claimed."""

from __future__ import annotations

import re

from iacguard.formats import Claim, ParsedFile

_API_VERSION = re.compile(r"^apiVersion:[ \t]*\S", re.MULTILINE)
_KIND = re.compile(r"^kind:[ \t]*\S", re.MULTILINE)


class KubernetesFormat:
    name = "kubernetes"
    label = "Kubernetes"
    kinds = ("container", "pod", "k8s_rbac")

    def claim(self, filename: str) -> Claim:
        return Claim.MAYBE if filename.lower().endswith((".yaml", ".yml")) else Claim.NO

    def sniff(self, text: str) -> bool:
        return "{{" not in text and bool(_API_VERSION.search(text)) and bool(_KIND.search(text))

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers import yaml as positional_yaml  # loaded on first use: start-up time counts

        loaded = positional_yaml.load(text)
        warnings = [
            (mark.line, mark.column, f"duplicate key {key!r}: the last value is used here, and kubectl rejects the file", "warning")
            for key, mark in loaded.duplicate_keys
        ]
        return ParsedFile(path, self.name, text, loaded, loaded.comments, loaded.spans, warnings)
