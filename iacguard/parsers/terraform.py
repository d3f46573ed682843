"""The Terraform format: `*.tf` files, parsed by the HCL parser. Variable files
(`*.tfvars`) are read by the evaluator as inputs, not scanned as resources."""

from __future__ import annotations

from iacguard.formats import Claim, ParsedFile


class TerraformFormat:
    name = "terraform"
    label = "Terraform"
    kinds = ("web_app", "container_group", "container", "registry", "k8s_cluster", "k8s_node_pool", "key_vault", "cloud_resource")

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith(".tf") else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        # Loaded on first use (start-up time counts); shares the evaluator's parse
        # cache so a file read earlier as a module sibling is not parsed again.
        from pathlib import Path

        from iacguard.evaluators.terraform import parsed_files

        parsed = parsed_files.get(Path(path), text)
        return ParsedFile(path, self.name, text, parsed, parsed.comments, parsed.spans)
