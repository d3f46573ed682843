from iacguard import problem, rule


@rule(
    code="IG409",
    name="secret-exposed-as-env",
    severity="low",
    kinds=("container",),
    formats=("kubernetes",),
    tags=("secrets", "kubernetes"),
    references={"checkov": ["CKV_K8S_35"], "kube-linter": ["env-var-secret"]},
)
def check(resource, options):
    """A Secret reaches the container through environment variables.

    ## What it checks
    `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef`.

    ## Why it matters
    Environment variables leak: they are inherited by every child process, printed
    by crash handlers and debug endpoints, and visible in `/proc`. Mounted files can
    be read-only, scoped to one path, and updated without restarting the pod.

    ## How to fix
    Mount the Secret as a volume and point the application at the file (many images
    support `*_FILE` variables for this).

    ## Example
    Fails: `envFrom: [{secretRef: {name: db}}]`. Passes: a `secret` volume mounted at
    `/run/secrets/db` with `DB_PASSWORD_FILE=/run/secrets/db/password`.
    """
    for secret in resource.value("secret_env"):
        yield problem(secret, f"Secret {secret.value or '(unnamed)'} is passed as environment variables; mount it as a file")
