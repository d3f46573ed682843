from iacguard import problem, rule
from iacguard.lazy import regex

from ._commands import exported, family, pip_args

# curl short options that take a value: in a cluster such as `-fsSLo`, everything
# after one of these is its value, not more options.
_CURL_VALUED = set("AbcCdDeEFHKmoPQrtTuUwxXyYz")
_SSLVERIFY_OFF = regex(r"sslverify=['\"]?(0|false|no)\b")
_FALSY = {"", "0", "false", "no", "off"}
# Environment variables that turn verification off, and the values that do it
# (None: any value that is not false; ANY_VALUE: any value at all, because the tool
# only asks whether the variable is set: git reads GIT_SSL_NO_VERIFY that way, so
# `GIT_SSL_NO_VERIFY=0` and `=false` turn its checks off too).
ANY_VALUE = object()  # a marker, compared by identity
_ENV_SWITCHES = {
    "GIT_SSL_NO_VERIFY": ANY_VALUE,
    "NODE_TLS_REJECT_UNAUTHORIZED": {"0"},
    "PYTHONHTTPSVERIFY": {"0"},
    "NPM_CONFIG_STRICT_SSL": {"false", "0"},
    "YARN_STRICT_SSL": {"false", "0"},
    "PIP_TRUSTED_HOST": None,
    "GOINSECURE": None,
    "GONOSUMCHECK": None,
    "GONOSUMDB": None,
    "GOFLAGS=-insecure": None,
}


@rule(
    code="IG309",
    name="tls-verification-disabled",
    severity="high",
    kinds=("image_build",),
    tags=("dockerfile", "supply-chain", "network"),
    references={"checkov": ["CKV2_DOCKER_2", "CKV2_DOCKER_3", "CKV2_DOCKER_4", "CKV2_DOCKER_5", "CKV2_DOCKER_6", "CKV2_DOCKER_12", "CKV2_DOCKER_13", "CKV2_DOCKER_14", "CKV2_DOCKER_15", "CKV2_DOCKER_16", "CKV2_DOCKER_18"]},
)
def check(resource, options):
    """TLS certificate verification is turned off during the build.

    ## What it checks
    `curl -k`/`--insecure`, `wget --no-check-certificate`, `pip --trusted-host`,
    `npm`/`yarn`/`pnpm` `config set strict-ssl false` (also `strict-ssl=false`,
    `--strict-ssl=false`, `--no-strict-ssl`, with `-g`/`--global`), `git -c http.sslVerify=false` and
    `git config http.sslVerify false` (also for one URL, `http.<url>.sslVerify`), yum/dnf `sslverify=0`, and the environment switches
    `GIT_SSL_NO_VERIFY` (set to any value, `0` and `false` included: git only asks
    whether it is set), `NODE_TLS_REJECT_UNAUTHORIZED=0`, `PYTHONHTTPSVERIFY=0`,
    `NPM_CONFIG_STRICT_SSL=false`, `PIP_TRUSTED_HOST`, `GOINSECURE`, `GONOSUMDB`, in
    `ENV`/`ARG` or on a command line.

    ## Why it matters
    Without certificate checks anyone on the network path can replace what the build
    downloads: packages, scripts, source code. The result is shipped as if it were
    what you asked for.

    ## How to fix
    Install the CA certificate of your proxy or mirror into the build (`COPY ca.crt
    /usr/local/share/ca-certificates/ && update-ca-certificates`) instead of turning
    verification off.

    ## Example
    Fails: `RUN curl -k https://example.com/x.tgz -o x.tgz`. Passes: the same without `-k`.
    """
    for env in resource.value("env") or ():
        if env.literal and isinstance(env.value.value, str) and _switch_off(env.name, env.value.value):
            yield problem(env.location, f"{env.origin} {env.name}={env.value.value} turns off TLS verification")
    for step in resource.value("runs") or ():
        for command in step.commands:
            message = _command_problem(command)
            if message:
                yield problem(command.at, message)
            for assignment in [*command.assignments, *exported(command)]:
                name, _, value = assignment.text.partition("=")
                if _switch_off(name, value):
                    yield problem(assignment.at, f"{name}={value} turns off TLS verification")


def _switch_off(name: str, value: str) -> bool:
    key = name.upper()
    if key not in _ENV_SWITCHES:
        return False
    values = _ENV_SWITCHES[key]
    if values is ANY_VALUE:
        return True
    return value.strip().lower() not in _FALSY if values is None else value.strip().lower() in values


def _command_problem(command) -> str | None:
    program = command.program
    args = [word.text for word in command.args]
    if program == "curl" and any(_curl_insecure(arg) for arg in args):
        return "curl -k/--insecure skips TLS certificate verification"
    if program == "wget" and "--no-check-certificate" in args:
        return "wget --no-check-certificate skips TLS certificate verification"
    pip = pip_args(command)
    if pip is not None and any(word.text == "--trusted-host" or word.text.startswith("--trusted-host=") for word in pip):
        return "pip --trusted-host accepts the host without TLS verification"
    if program in ("npm", "yarn", "pnpm") and _strict_ssl_off([arg.lower() for arg in args]):
        return f"{program} strict-ssl false skips TLS certificate verification"
    if family(command) == "yum" or program == "yum-config-manager":
        if any(_SSLVERIFY_OFF.search(arg.lower()) for arg in args):
            return f"{program} sslverify off skips TLS certificate verification of repositories"
    if program == "git" and _git_sslverify_off([arg.lower().replace(" ", "") for arg in args]):
        return "git http.sslVerify=false skips TLS certificate verification"
    return None


# `http.sslVerify`, also for one URL (`http.https://git.example.com/.sslVerify`).
_GIT_SSLVERIFY = regex(r"http\.(?:.+\.)?sslverify")


def _git_sslverify_off(args: list[str]) -> bool:
    """git's `http.sslVerify` set to false: `-c http.sslVerify=false` or `git config
    [--global] http.sslVerify false` (git's booleans: false, no, off, 0)."""
    for index, arg in enumerate(args):
        key, equals, value = arg.partition("=")
        if _GIT_SSLVERIFY.fullmatch(key):
            value = value if equals else (args[index + 1] if index + 1 < len(args) else "")
            if value in ("false", "no", "off", "0"):
                return True
    return False


def _strict_ssl_off(args: list[str]) -> bool:
    """`strict-ssl` set to false: as an option of any command (`--strict-ssl=false`,
    `--strict-ssl false`, `--no-strict-ssl`), or by `config set`/`set` with the value
    after the key or after `=`. Other commands that merely mention the words
    (`npm config get strict-ssl`, `npm install strict-ssl false`) do not set it."""
    for index, arg in enumerate(args):
        if arg in ("--no-strict-ssl", "--strict-ssl=false", "--strict-ssl=0"):
            return True
        if arg == "--strict-ssl" and args[index + 1 : index + 2] in (["false"], ["0"]):
            return True
    words = [arg for arg in args if not arg.startswith("-")]  # -g, --global, --location=user
    if words[:2] == ["config", "set"]:
        setting = words[2:]
    elif words[:1] == ["set"]:
        setting = words[1:]
    else:
        return False
    key, equals, value = (setting[0] if setting else "").partition("=")
    if not equals:
        value = setting[1] if len(setting) > 1 else ""
    return key == "strict-ssl" and value in ("false", "0")


def _curl_insecure(arg: str) -> bool:
    if arg == "--insecure":
        return True
    if not arg.startswith("-") or arg.startswith("--"):
        return False
    for letter in arg[1:]:
        if letter == "k":
            return True
        if letter in _CURL_VALUED:
            return False
    return False
