"""The Bicep format: `.bicep` source files and `.bicepparam` parameter files, read
by the parser in `bicep_syntax` (loaded on first use, so other scans do not pay for
it). Compiled Bicep (`bicep build` output) is an ARM template and read as one."""

from __future__ import annotations

from iacguard.formats import Claim, ParsedFile


class BicepFormat:
    name = "bicep"
    label = "Bicep"
    kinds = ("web_app", "container_group", "container", "registry", "k8s_cluster", "k8s_node_pool", "key_vault", "cloud_resource")

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith((".bicep", ".bicepparam")) else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        from pathlib import Path

        from iacguard.parsers import bicep_syntax

        parsed = bicep_syntax.parsed_files.get(Path(path), text)
        return ParsedFile(path, self.name, text, parsed, parsed.comments, parsed.spans)
