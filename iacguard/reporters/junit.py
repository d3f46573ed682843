"""JUnit XML for test-report views (Azure DevOps, GitLab, Jenkins): one test suite per
file, one test case per rule and resource checked, a failure per finding, an error
per error that left a file's analysis incomplete. Suppressed findings count as passed.

ElementTree escapes markup but writes any character it is given, and XML 1.0 forbids
most control characters, lone surrogates and U+FFFE/U+FFFF: one such character in a
file name or a value would make the whole report unreadable. So every attribute and
text goes through `printable` before the tree is written."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO

from iacguard.reporters import ReportContext, diagnostic_message, printable
from iacguard.runner import Check, ScanResult


class JunitReporter:
    name = "junit"
    description = "JUnit XML: a test case per rule and resource, failures for findings"

    def render(self, result: ScanResult, out: TextIO, context: ReportContext) -> None:
        checks = list(dict.fromkeys(result.checks))
        by_rule = defaultdict(list)
        for check in checks:
            by_rule[check.address, check.code].append(check)
        # A finding may point into another file than the one checked (a module's, a
        # Kustomize base's, a chart's template): it fails the check of its resource
        # and rule, or, when that is not one, a test case of its own in its file.
        failures = defaultdict(list)
        for finding in result.active_findings:
            here = Check(finding.location.path, finding.resource.address, finding.code)
            candidates = by_rule.get((here.address, here.code), [])
            failures[here if here in candidates or len(candidates) != 1 else candidates[0]].append(finding)
        cases = defaultdict(list)
        for check in dict.fromkeys([*checks, *failures]):
            cases[check.path].append(check)
        errors = defaultdict(list)
        for diagnostic in result.errors:
            errors[diagnostic.path].append(diagnostic)

        import xml.etree.ElementTree as ElementTree  # here: start-up time counts

        root = ElementTree.Element("testsuites", name="iacguard")
        totals = {"tests": 0, "failures": 0, "errors": 0}
        for path in sorted(set(cases) | set(errors)):
            suite = ElementTree.SubElement(root, "testsuite", name=path)
            counts = {"tests": 0, "failures": 0, "errors": 0}
            for check in cases[path]:
                found = failures.get(check, [])
                active = result.policy.by_code(check.code) if result.policy else None
                name = f"{check.code} {active.rule.name if active else ''}".strip()
                case = ElementTree.SubElement(suite, "testcase", classname=f"{path}.{check.address}", name=name)
                counts["tests"] += 1
                for finding in found:
                    loc = finding.location
                    failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.severity)
                    failure.text = f"{loc.path}:{loc.line}:{loc.column}: {finding.code} [{finding.severity}] {finding.message} ({finding.resource.address})"
                counts["failures"] += 1 if found else 0
            for diagnostic in errors[path]:
                case = ElementTree.SubElement(suite, "testcase", classname=path, name=f"{diagnostic.code} scan")
                message = diagnostic_message(diagnostic)
                error = ElementTree.SubElement(case, "error", message=message, type=diagnostic.code)
                error.text = f"{path}:{diagnostic.line or 1}: {message}"
                counts["tests"] += 1
                counts["errors"] += 1
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
        for key, value in totals.items():
            root.set(key, str(value))
        for element in root.iter():
            if element.text:
                element.text = printable(element.text)
            element.attrib.update({key: printable(value) for key, value in element.attrib.items()})
        ElementTree.indent(root)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(ElementTree.tostring(root, encoding="unicode"))
        out.write("\n")
