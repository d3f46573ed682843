"""Terraform plans in JSON: what `terraform show -json plan.out` prints, saved to a
`.json` file. Claimed by content, as the name says nothing: a top-level
`format_version` and `planned_values` or `resource_changes` (or, when a plan's input
variables are long enough to push those past the first 8 KiB, `terraform_version` and
`variables`, which a state file, the other output of `terraform show -json`, does not
have). The format is documented at
developer.hashicorp.com/terraform/internals/json-format.

The file is read as JSON with positions on demand; `iacguard.normalizers.terraform_plan`
makes its resource instances into resources and maps them back to the configuration.
The configuration files that findings point into (`.tf`, `.tf.json`) are read by this
format too, as the Terraform formats read them, for their lines and suppressions.
"""

from __future__ import annotations

from iacguard.formats import Claim, ParsedFile
from iacguard.lazy import regex
from iacguard.parsers.json_keys import top_level_key
from iacguard.parsers.terraform import JSON_SUFFIX, ReadAsTerraform, parse_configuration

_PLAN_KEYS = ('"planned_values"', '"resource_changes"')
_FORMAT_VERSION = regex(r'"format_version"\s*:')


def is_plan(text: str) -> bool:
    """True when a JSON text (a file's head, or all of it) looks like a plan:
    substring tests first (a glance at every `.json` file of a tree must cost next to
    nothing), then whether `format_version` is a top-level key, not one deeper down
    (a manifest's annotation), which makes no plan."""
    if not text.lstrip().startswith("{") or '"format_version"' not in text:
        return False
    if not (any(key in text for key in _PLAN_KEYS) or ('"terraform_version"' in text and '"variables"' in text)):
        return False
    return top_level_key(text, _FORMAT_VERSION)


class TerraformPlanFormat(ReadAsTerraform):
    name = "terraform-plan"
    label = "Terraform plan"
    sniff_first = True  # a top-level `format_version` is its own: asked before Kubernetes, whose keys a plan's manifests have

    def claim(self, filename: str) -> Claim:
        return Claim.MAYBE if filename.lower().endswith(".json") and not filename.endswith(JSON_SUFFIX) else Claim.NO

    def sniff(self, text: str) -> bool:
        return is_plan(text)

    def parse(self, text: str, path: str) -> ParsedFile:
        if path.endswith((".tf", JSON_SUFFIX)):
            return parse_configuration(text, path)
        from iacguard.parsers import positional_json  # loaded on first use

        return ParsedFile(path, self.name, text, positional_json.parse(text))
