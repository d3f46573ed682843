"""The objects of Kustomize builds as Kubernetes resources.

A target of the Kustomize format stands for one or more top kustomizations (the
overlays a scan builds, `ScanContext.members`; the scanned file alone without
them). Each is built by `iacguard.evaluators.kustomize`, and its objects become
resources exactly as the objects of a manifest do, with the format `kubernetes`:
every rule sees the same thing whether a Deployment is written out or assembled.
Resources name the object as its file declared it, and the overlay they were built
for (`Resource.built_by`); a base that several overlays share gives one resource
per overlay, and the runner reports a finding they share once, naming them all.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from iacguard.evaluators.kustomize import KustomizeBuild
from iacguard.formats import ParsedFile, ScanContext
from iacguard.model import Resource
from iacguard.normalizers.kubernetes import object_resources


def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    context = context or ScanContext()
    build = KustomizeBuild(parsed, context)
    for member in context.members or (parsed.path,):
        objects = build.build(member)
        overlay = os.path.dirname(member) or "."
        for resource in object_resources(member, [(built.obj, None, built.declared) for built in objects]):
            resource.built_by = (overlay,)
            yield resource
