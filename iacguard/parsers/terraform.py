"""The Terraform formats: `*.tf` files, parsed by the HCL parser, and `*.tf.json`
files, Terraform's JSON syntax, read as JSON with positions and made into the same
model by the normaliser (`iacguard.parsers.terraform_json`). Variable files
(`*.tfvars`) are read by the evaluator as inputs, not scanned as resources."""

from __future__ import annotations

from iacguard.formats import Claim, ParsedFile

JSON_SUFFIX = ".tf.json"


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


class TerraformJsonFormat:
    """`*.tf.json`: the resources are the Terraform format's, so are the rules and
    their fixtures (`renders`); a resource with `count` or `for_each` is reported per
    instance, as in a `.tf` file, not once per line as a rendered template is."""

    name = "terraform-json"
    label = "Terraform JSON"
    kinds: tuple[str, ...] = ()
    renders = "terraform"
    one_finding_per_line = False

    def claim(self, filename: str) -> Claim:
        return Claim.YES if filename.endswith(JSON_SUFFIX) else Claim.NO

    def sniff(self, text: str) -> bool:
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        return parse_configuration(text, path, self.name)


def parse_configuration(text: str, path: str, name: str = "terraform-json") -> ParsedFile:
    """A Terraform configuration file by its name: `.tf.json` as JSON with positions
    (format `name`), anything else as HCL. The formats whose findings point into
    configuration files (`.tf.json`, plans) read them so, for their lines and their
    suppression comments."""
    if not path.endswith(JSON_SUFFIX):
        return TerraformFormat().parse(text, path)
    from iacguard.parsers import positional_json  # loaded on first use

    return ParsedFile(path, name, text, positional_json.parse(text))
