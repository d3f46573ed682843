import functools

from iacguard import Option, problem, rule
from iacguard.lazy import regex

from ._secrets import not_a_secret

SECRET_WORDS = [
    "password", "passwd", "pwd", "pass", "secret", "token", "apikey", "api_key", "access_key", "private_key",
    "secret_key", "client_secret", "connection_string", "connectionstring", "conn_str", "credential",
    "credentials", "passphrase", "auth_key", "sas_key", "account_key",
]
NOT_SECRET_SUFFIXES = [
    "file", "path", "dir", "directory", "url", "uri", "endpoint", "host", "port", "name", "id", "user",
    "username", "length", "type", "ttl", "expiry", "expires", "header", "enabled", "mode", "version", "location",
    "env", "var", "field", "key_id", "ref", "policy", "min", "max", "count", "size",
    # what a secret is for, how it is made, kept or checked, and for how long
    "audience", "issuer", "scope", "realm", "algorithm", "alg", "algo", "cipher", "encoder", "format", "method",
    "mechanism", "strategy", "provider", "backend", "store", "manager", "source", "auth", "prefix", "kind", "class",
    "namespace", "label", "lifetime", "lifespan", "expiration", "validity", "duration", "timeout", "interval",
    "period", "age", "rotation", "seconds", "minutes", "hours", "days",
]
_HINTS = {
    "image_build": "use a build secret or inject it at run time",
    "container": "pass it from a secret store instead",
    "web_app": "use a Key Vault reference instead",
    "k8s_data": "keep it out of the repository (a Secret made from a secret store, Sealed Secrets or External Secrets)",
}
_CAMEL = regex(r"(?<=[a-z0-9])(?=[A-Z])")
_SEPARATORS = regex(r"[^A-Za-z0-9]+")


@rule(
    code="IG210",
    name="secret-in-plain-environment",
    severity="high",
    kinds=("image_build", "container", "web_app", "k8s_data"),
    tags=("secrets", "dockerfile", "kubernetes"),
    references={"trivy": ["DS031"]},
    options=(
        Option("secret_words", list, SECRET_WORDS, "name words (underscore-joined) that mark a variable as a secret"),
        Option("not_secret_suffixes", list, NOT_SECRET_SUFFIXES, "last name words that mean the variable only describes a secret"),
    ),
)
def check(resource, options):
    """A variable whose name says it is a secret holds a literal value.

    ## What it checks
    Dockerfile `ENV` and `ARG` defaults, Kubernetes `env[].value` (not `valueFrom`),
    the entries of ConfigMaps and Secrets (a Secret's `data` decoded from base64, and
    its `stringData`; Kustomize `configMapGenerator` and `secretGenerator` literals
    and env files are such entries, located where they are written), Container
    Instances `environment_variables` (not `secure_environment_variables`) and App
    Service `app_settings` (not Key Vault references), whose name contains a
    secret word (password,
    secret, token, api key, private key, connection string, ...; camelCase and
    separators are understood) and whose value is written out literally. Not
    reported: names that only describe a secret (`*_FILE`, `*_PATH`, `*_URL`, `*_NAME`,
    `*_ID`, `*_ISSUER`, `*_ALGORITHM`, `*_PROVIDER`, `*_LIFETIME`, ...), empty values, file paths, booleans, numbers, values that refer to
    something else (`$OTHER`, `${OTHER:-x}`, `$(OTHER)`), and placeholders that
    stand for a secret to be filled in: `<your-token>`, `{{ token }}`, `INSERT_KEY`,
    `YOUR_API_KEY`, `TOKEN_HERE`, `changeme`, `placeholder`, `example`, `xxxx`,
    `****`. A value that looks real is reported, however it is spelt. A Secret's key is
    judged by its name like any variable (a Secret also holds user names, hosts and
    certificates); Secrets in Helm output get their values at install, so they are
    not reported.

    ### Docker Compose
    A service's `environment` (mapping or `KEY=VALUE` list, after
    interpolation: a secret given as a variable's default counts) and the
    variables of its `env_file`s, reported in the env file. A variable written
    without a value (`- API_TOKEN`) takes it from the environment at run time and
    is not reported; nor is one whose value comes from a variable that is not set.

    ## Why it matters
    `ENV` values are stored in the image configuration and `ARG` values in its build
    history: anyone who can pull the image can read them. Manifest values are readable
    by anyone who can read the workload object, and base64 in a Secret hides nothing.
    And all of them stay in the repository forever.

    ## How to fix
    Pass secrets at run time from a secret store, or use a build secret that never
    lands in a layer: `RUN --mount=type=secret,id=npm_token ...`. In Kubernetes, use
    `valueFrom.secretKeyRef` or, better, a mounted Secret volume, and create that
    Secret outside the repository (a secret store, Sealed Secrets, External Secrets).
    Point to files with `*_FILE` variables where the software supports it.

    ## Example
    Fails: `ENV DB_PASSWORD=hunter2`; `env: [{name: DB_PASSWORD, value: hunter2}]`;
    a Secret with `stringData: {db-password: hunter2}`; a kustomization's
    `secretGenerator` with `literals: [DB_PASSWORD=hunter2]`.
    Passes: `ENV DB_PASSWORD_FILE=/run/secrets/db`, `ARG NPM_TOKEN` (no default),
    `env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}]`.
    """
    secret_words, suffixes = _phrases(tuple(options.secret_words)), _phrase_set(tuple(options.not_secret_suffixes))
    longest = max(map(len, suffixes), default=0)
    for env in resource.value("env") or ():
        value = env.value.value
        if not env.literal or not isinstance(value, str) or not_a_secret(value):
            continue
        words = tuple(_words(env.name))
        if any(words[-length:] in suffixes for length in range(1, min(longest, len(words) - 1) + 1)):
            continue  # the name ends in words that only describe a secret
        if any(_contains(words, secret) for secret in secret_words):
            yield problem(env.location, f"{env.origin} {env.name} holds a literal secret; {_HINTS[resource.kind]}")


@functools.lru_cache(maxsize=8)
def _phrases(names: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The option's underscore-joined names as word tuples, made once per option
    value rather than for every resource."""
    return tuple(tuple(name.lower().split("_")) for name in names)


@functools.lru_cache(maxsize=8)
def _phrase_set(names: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(_phrases(names))


def _words(name: str) -> list[str]:
    return [part.lower() for part in _SEPARATORS.split(_CAMEL.sub("_", name)) if part]


def _contains(words: tuple, phrase: tuple) -> bool:
    return any(words[i : i + len(phrase)] == phrase for i in range(len(words) - len(phrase) + 1))

