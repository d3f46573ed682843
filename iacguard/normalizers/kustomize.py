"""The objects of Kustomize builds as Kubernetes resources.

A target of the Kustomize format stands for one or more top kustomizations (the
overlays a scan builds, `ScanContext.members`; the scanned file alone without
them). Each is built by `iacguard.evaluators.kustomize`, and its objects become
resources exactly as the objects of a manifest do, with the format `kubernetes`:
every rule sees the same thing whether a Deployment is written out or assembled.
Resources name the object as its file declared it, and every location they carry
names the overlay it was built for as a related location (`Location.via`); a base
that several overlays share gives one resource per overlay, and the runner reports a
finding they share once per rule and line, naming them all. A diagnostic is placed on
the overlay whose build told it (`ParsedFile.diagnose`), never on another that only
shares the target.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import partial

from iacguard.evaluators.kustomize import KustomizeBuild
from iacguard.formats import ParsedFile, ScanContext
from iacguard.model import Related, Resource
from iacguard.normalizers.kubernetes import object_resources


def normalize(parsed: ParsedFile, context: ScanContext | None = None) -> Iterator[Resource]:
    context = context or ScanContext()
    build = KustomizeBuild(parsed, context)
    for member in context.members or (parsed.path,):
        objects = build.build(member)
        overlay = Related(f"built for the Kustomize overlay {os.path.dirname(member) or '.'}", member)
        diagnose = partial(parsed.diagnose, member=member)  # what its objects say is the overlay's that built them
        yield from object_resources(member, [(built.obj, None, built.declared) for built in objects], diagnose, (overlay,))
