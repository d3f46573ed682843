"""iacguard plugin: what ships carries provenance labels. Images name the repository
they were built from; Kubernetes workloads name the team that owns them."""

from iacguard import Location, Option, hookimpl, problem, rule


@rule(
    code="ORG101",
    name="image-source-label-missing",
    severity="low",
    kinds=("image_build",),
    runtime_only=True,
    tags=("organisation", "provenance"),
    options=(Option("required_labels", list, ["org.opencontainers.image.source"], "labels every shipped image must set"),),
)
def image_source_label_missing(resource, options):
    """The shipped image does not say where its source lives.

    ## What it checks
    The final stage of a Dockerfile (with the labels it inherits from the stages it is
    built on) must set every label in `required_labels`, by default
    `org.opencontainers.image.source`, to a non-empty value.

    ## Why it matters
    Registries, scanners and incident responders use this label to find the
    repository, and so the owners, of an image they found running.

    ## How to fix
    `LABEL org.opencontainers.image.source="https://github.com/acme/orders"`.

    ## Example
    Fails: a final stage without the label. Passes: one with the `LABEL` above.
    """
    labels = resource.value("labels") or {}
    for name in options.required_labels:
        label = labels.get(name)
        if label is None or label.value == "":
            yield problem(resource.location, f"the shipped image has no {name} label")


@rule(
    code="ORG102",
    name="workload-owner-label-missing",
    severity="low",
    kinds=("pod",),
    formats=("kubernetes",),  # reads Kubernetes metadata, which other formats' pods do not have
    tags=("organisation", "provenance"),
    options=(Option("owner_label", str, "acme.example/team", "the label that names the owning team"),),
)
def workload_owner_label_missing(resource, options):
    """A Kubernetes workload does not name the team that owns it.

    ## What it checks
    The workload's own `metadata.labels` (not its pod template's) must set the
    `owner_label` label, by default `acme.example/team`, to a non-empty value.

    ## Why it matters
    When a workload misbehaves at night, the label says whom to call; cost reports and
    policy exceptions are kept per team too.

    ## How to fix
    Add the label to the workload: `metadata: {labels: {acme.example/team: payments}}`.

    ## Example
    Fails: a Deployment whose metadata has no labels. Passes: one labelled
    `acme.example/team: payments`.
    """
    # The canonical model has no attribute for workload labels, so this rule reads the
    # native object: for Kubernetes, the manifest as a dict whose `key_marks` give the
    # line and column of each key (see docs/model.md, "Native fields").
    metadata = resource.native.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if isinstance(labels, dict) and labels.get(options.owner_label) not in (None, ""):
        return
    mark = resource.native.key_marks.get("metadata")
    at = Location(resource.location.path, mark.line, mark.column) if mark else resource.location
    yield problem(at, f"the workload has no {options.owner_label} label")


@hookimpl
def iacguard_rules():
    return [image_source_label_missing, workload_owner_label_missing]
