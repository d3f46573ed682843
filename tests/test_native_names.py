"""Findings and documentation in the format's own language: messages name a setting
as the scanned file spells it (set, or left to the platform default), and `explain
--for FORMAT` keeps only that format's subsections of the documentation."""

from __future__ import annotations

import json

import pytest

from iacguard.model import Attr, Location, Resource
from iacguard.rule import rule

TERRAFORM = """\
resource "azurerm_linux_web_app" "set" {
  https_only = false
  site_config {
    minimum_tls_version = "1.0"
  }
}

resource "azurerm_linux_web_app" "unset" {
}
"""
ARM = json.dumps({
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "resources": [
        {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "set",
         "properties": {"httpsOnly": False, "siteConfig": {"minTlsVersion": "1.0"}}},
        {"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "unset", "properties": {}},
    ],
}, indent=2)
BICEP = """\
resource set 'Microsoft.Web/sites@2022-09-01' = {
  name: 'set'
  properties: {
    httpsOnly: false
    siteConfig: {
      minTlsVersion: '1.0'
    }
  }
}

resource unset 'Microsoft.Web/sites@2022-09-01' = {
  name: 'unset'
  properties: {}
}
"""


@pytest.mark.parametrize(
    ("file_name", "text", "https_only", "tls"),
    [
        ("main.tf", TERRAFORM, "https_only", "site_config.minimum_tls_version"),
        ("site.json", ARM, "properties.httpsOnly", "properties.siteConfig.minTlsVersion"),
        ("site.bicep", BICEP, "properties.httpsOnly", "properties.siteConfig.minTlsVersion"),
    ],
)
def test_messages_name_settings_as_the_format_spells_them_set_or_defaulted(cli, tmp_path, file_name, text, https_only, tls):
    (tmp_path / file_name).write_text(text)
    run = cli("scan", "--isolated", "--no-cache", "--select", "IG501,IG502", "-f", "json", file_name, cwd=tmp_path)
    messages = sorted((finding["rule"], finding["message"].split(",")[0]) for finding in json.loads(run.out)["findings"])
    assert messages == [
        ("IG501", f"{https_only} is false"),
        ("IG501", f"{https_only} is not set and defaults to false"),
        ("IG502", f"{tls} is 1.0"),
    ]


def test_a_format_that_records_no_native_name_is_named_canonically():
    head = Location("pod.yaml", 1)
    container = Resource("container", "v1/Pod", "Pod/web/containers/app", "kubernetes", head, {"privileged": Attr(True, head)})
    assert container.native_name("privileged") == "privileged"
    assert container.native_name("run_as_user") == "run_as_user"  # absent: not even read


@rule(code="XX001", name="documented", severity="low", kinds=("web_app",))
def _documented(resource, options):
    """A rule documented per format.

    ## How to fix
    Shared advice.

    ### Terraform
    Terraform advice.

    ```hcl
    ### a comment, not a heading
    ```

    ### Bicep
    Bicep advice.

    ## Example
    ### Terraform
    Terraform example.

    ### Bicep
    Bicep example.
    """
    yield from ()


def test_doc_for_keeps_the_shared_text_and_only_that_formats_subsections():
    bicep = _documented.doc_for("Bicep")
    assert "Shared advice." in bicep and "Bicep advice." in bicep and "Bicep example." in bicep
    assert "Terraform" not in bicep and "a comment" not in bicep
    terraform = _documented.doc_for("terraform")
    assert "### a comment, not a heading" in terraform and "Bicep" not in terraform
    assert "## Example\n### Terraform\nTerraform example." in terraform
