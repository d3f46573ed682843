"""SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.

Built with the sarif-om object model and serialised by `to_json`, which maps each
attrs field to the spec's property name. (sarif-om's companion serialiser drops
values equal to their schema default, an explicit `level: "warning"` among them, and
is slow.) One run per invocation; a `rules` entry for every rule that fired, with its
documentation as help text and markdown; results with fingerprints that do not depend
on line numbers; suppressions kept as SARIF suppressions; every diagnostic as a tool
execution notification, and `executionSuccessful: false` when any file's analysis is
incomplete. Every URI is percent-encoded by `_uri`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, TextIO

from iacguard import __version__
from iacguard.reporters import ReportContext, diagnostic_message
from iacguard.diagnostics import Diagnostic
from iacguard.runner import Finding, ScanResult

INFORMATION_URI = "https://github.com/iacguard/iacguard"
# The rule pages of the release that produced the report, not of whatever main says today.
RULE_HELP_URI = INFORMATION_URI + "/blob/v{version}/docs/rules/{code}.md"
SRCROOT = "%SRCROOT%"
# GitHub ranks alerts by `security-severity`: 9.0+ critical, 7.0+ high, 4.0+ medium, below low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SUPPRESSION_KIND = {"baseline": "external", "config": "external"}  # everything else is written in the source


class SarifReporter:
    name = "sarif"
    description = "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers"

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None:
        json.dump(to_json(build_log(result, context)), out, indent=2)
        out.write("\n")


def build_log(result: ScanResult, context: ReportContext):
    import sarif_om as om

    fired = sorted({finding.active.rule.code: finding.active for finding in result.findings}.values(), key=lambda a: a.rule.code)
    index = {active.rule.code: position for position, active in enumerate(fired)}
    driver = om.ToolComponent(
        name="iacguard",
        version=context.tool_version,
        semantic_version=context.tool_version,
        information_uri=INFORMATION_URI,
        rules=[_descriptor(om, active) for active in fired],
    )
    invocation = om.Invocation(
        execution_successful=not result.incomplete,
        tool_execution_notifications=[_notification(om, d, context) for d in result.diagnostics] or None,
    )
    run = om.Run(
        tool=om.Tool(driver=driver),
        invocations=[invocation],
        results=[_result(om, finding, index[finding.code], context) for finding in result.findings],
        column_kind="unicodeCodePoints",
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(uri=_directory_uri(context.base))} if context.base else None,
    )
    return om.SarifLog(version="2.1.0", schema_uri="https://json.schemastore.org/sarif-2.1.0.json", runs=[run])


def _descriptor(om, active):
    rule = active.rule
    return om.ReportingDescriptor(
        id=rule.code,
        name=_pascal(rule.name),
        short_description=om.MultiformatMessageString(text=rule.summary),
        full_description=om.MultiformatMessageString(text=_shortened(_section(rule.doc, "What it checks") or rule.summary)),
        help=om.MultiformatMessageString(text=rule.doc, markdown=rule.doc),
        help_uri=RULE_HELP_URI.format(version=__version__, code=rule.code),
        # what the rule was known by before a split or a rename
        deprecated_ids=list(rule.alias_codes) or None,
        deprecated_names=[_pascal(alias) for alias in rule.aliases if alias not in rule.alias_codes] or None,
        default_configuration=om.ReportingConfiguration(level=LEVEL[active.severity]),
        properties={
            "tags": ["security", *rule.tags],
            "security-severity": SECURITY_SEVERITY[active.severity],
            "precision": "high",
            "iacguard/name": rule.name,
        },
    )


def _result(om, finding: Finding, rule_index: int, context: ReportContext):
    loc = finding.location
    region = om.Region(start_line=loc.line, start_column=loc.column, end_line=loc.end_line or loc.line, end_column=loc.end_column)
    related = [
        om.Location(
            id=number,
            # A place without a line is a whole file: one of the tree (the template of a
            # chart iacguard rendered, an overlay), or a Helm template that rendered
            # output names relative to its chart, which has no base.
            physical_location=om.PhysicalLocation(
                artifact_location=_artifact(om, place.path, context) if place.line or os.path.isfile(place.path)
                else om.ArtifactLocation(uri=_uri(place.path)),
                region=om.Region(start_line=place.line, start_column=place.column) if place.line else None,
            ),
            message=om.Message(text=place.message),
        )
        for number, place in enumerate(finding.related, 1)
    ]
    suppression = finding.suppression
    return om.Result(
        rule_id=finding.code,
        rule_index=rule_index,
        level=LEVEL[finding.severity],
        message=om.Message(text=f"{finding.message} ({finding.resource.address})"),
        locations=[
            om.Location(
                physical_location=om.PhysicalLocation(artifact_location=_artifact(om, loc.path, context), region=region),
                logical_locations=[om.LogicalLocation(fully_qualified_name=finding.resource.address, kind="resource")],
            )
        ],
        # both versions, so a result management system that tracked alerts by the
        # previous one keeps them (SARIF partialFingerprints are versioned by key)
        partial_fingerprints={"iacguard/v1": finding.previous_fingerprint, "iacguard/v2": finding.fingerprint},
        related_locations=related or None,
        # Accepted: GitHub code scanning closes the alert of such a result (it opened
        # one for a suppression without a status). Every result has the property,
        # empty when unsuppressed, as SARIF asks of a run (all null or none). Written
        # as a mapping: sarif-om names `status` `state`, as a draft of SARIF did.
        suppressions=[] if suppression is None else [
            {"kind": SUPPRESSION_KIND.get(suppression.kind, "inSource"), "status": "accepted",
             **({"justification": suppression.reason} if suppression.reason else {})}
        ],
        # A finding's own severity, where its rule's is the one it has most often (a
        # runtime socket is critical where other host paths are high).
        properties={"severity": finding.severity, "security-severity": SECURITY_SEVERITY[finding.severity],
                    "resourceType": finding.resource.type, "format": finding.resource.format},
    )


def _notification(om, diagnostic: Diagnostic, context: ReportContext):
    locations = None
    if diagnostic.path and not diagnostic.path.startswith("<"):
        region = om.Region(start_line=diagnostic.line, start_column=diagnostic.column) if diagnostic.line else None
        locations = [om.Location(physical_location=om.PhysicalLocation(artifact_location=_artifact(om, diagnostic.path, context), region=region))]
    return om.Notification(
        level=diagnostic.level,
        message=om.Message(text=f"{diagnostic.path}: {diagnostic_message(diagnostic)}"),
        descriptor=om.ReportingDescriptorReference(id=diagnostic.code),
        locations=locations,
    )


def _artifact(om, path: str, context: ReportContext):
    """A file's location: relative to the top of the repository (`%SRCROOT%`), where
    GitHub code scanning looks for it whatever folder the scan ran in."""
    path = context.repository_path(path)
    return om.ArtifactLocation(uri=_uri(path), uri_base_id=None if path.startswith("/") else SRCROOT)


def _uri(path: str) -> str:
    """The one encoding of every URI in the log: percent-encoded, so a space, `#` or
    `%` in a file name or a Helm template path is part of the name, not a fragment or
    an escape; an absolute path becomes a `file://` URI. A file name that is not UTF-8
    keeps its own bytes (Python decodes such names with surrogate escapes); any other
    lone surrogate is kept as its visible escape."""
    from urllib.parse import quote

    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "backslashreplace")
    encoded = quote(raw, safe="/")
    return "file://" + encoded if path.startswith("/") else encoded


def _directory_uri(root: Path) -> str:
    return _uri(root.resolve().as_posix().rstrip("/") + "/")


def _section(doc: str, heading: str) -> str:
    marker = f"## {heading}\n"
    if marker not in doc:
        return ""
    return doc.split(marker, 1)[1].split("\n## ", 1)[0].strip().replace("\n", " ")


# GitHub code scanning takes a rule's `fullDescription` of at most 1,000 characters.
MAX_FULL_DESCRIPTION = 1000


def _shortened(text: str) -> str:
    """`text`, or as many of its sentences as fit `MAX_FULL_DESCRIPTION` (its words,
    when that would leave less than half) with an ellipsis (the whole text is the
    rule's `help`)."""
    if len(text) <= MAX_FULL_DESCRIPTION:
        return text
    cut = text[:MAX_FULL_DESCRIPTION - 2]
    end = max(cut.rfind(". "), cut.rfind("; "))
    return (cut[:end + 1] if end > len(cut) // 2 else cut[:cut.rfind(" ")]) + " …"  # a sentence, unless it leaves little


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def to_json(value: Any) -> Any:
    """Serialise sarif-om objects by their spec property names, leaving out unset
    values and sarif-om's `-1` "not set" sentinels."""
    import attr

    if attr.has(type(value)):
        document = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None or (item == -1 and field.default == -1):
                continue
            document[field.metadata["schema_property_name"]] = to_json(item)
        return document
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value
