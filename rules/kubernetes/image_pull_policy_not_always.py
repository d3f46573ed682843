from iacguard import ImageRef, problem, rule, set_to, unsafe_fix


@rule(
    code="IG407",
    name="image-pull-policy-not-always",
    severity="low",
    kinds=("container",),
    formats=("kubernetes",),
    tags=("image", "kubernetes"),
    enabled=False,
    references={"checkov": ["CKV_K8S_15"]},
    fix=unsafe_fix("kubernetes"),
)
def check(resource, options):
    """An image referenced by a mutable tag may run from a stale node cache.

    ## What it checks
    Containers whose image has no digest must use `imagePullPolicy: Always`. When
    the policy is not set, the platform default applies: `Always` for `latest` or no
    tag, `IfNotPresent` otherwise, which fails. Images pinned by digest pass whatever
    the policy.

    ## Why it matters
    With `IfNotPresent`, a node that already has `app:1.4` keeps running its cached
    copy after the tag is pushed again, so nodes run different code under one name,
    and a private image cached on a node can be used by pods that could not pull it.

    ## Why this default
    Off by default, like IG102 (digest pinning): a version tag counts as a pin for
    IG101, and a tag that is pushed again is a release practice to fix at the
    registry (immutable tags) rather than in every manifest. Reuse of cached private
    images between tenants is closed for the whole cluster by the `AlwaysPullImages`
    admission plugin
    (<https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages>).
    Turn it on with `select: [all, IG407]` where neither holds.

    ## How to fix
    Pin the image by digest, or set `imagePullPolicy: Always`. The fix sets the
    policy. It is unsafe: every start then needs the registry to answer, and a node
    that cannot reach it no longer starts the pod from its cache.

    ## Example
    Fails: `image: app:1.4` without a policy. Passes: `image: app:1.4` with
    `imagePullPolicy: Always`, or `image: app@sha256:...`.
    """
    image = resource.attr("image")
    ref = image.value
    if not isinstance(ref, ImageRef) or ref.digest:
        return
    policy = resource.attr("image_pull_policy")
    if policy.unknown:
        return
    if policy.is_set:
        if policy.value != "Always":
            yield problem(policy, f"imagePullPolicy {policy.value} with the mutable image {ref.raw}", fix=_ALWAYS)
    elif ref.tag not in (None, "latest"):
        yield problem(image, f"image {ref.raw} is pulled only if not present (the default for a tag); set imagePullPolicy: Always or pin a digest", fix=_ALWAYS)


_ALWAYS = set_to("image_pull_policy", "Always", "Set imagePullPolicy: Always")
