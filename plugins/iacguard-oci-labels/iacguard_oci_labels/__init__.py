"""iacguard plugin: shipped images must carry OCI provenance labels."""

from iacguard import Option, hookimpl, problem, rule


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


@hookimpl
def iacguard_rules():
    return [image_source_label_missing]
