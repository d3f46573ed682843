from iacguard import Edit, Fix, problem, rule, unsafe_fix

_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".gz", ".bz2", ".xz")
_REMOTE = ("http://", "https://", "git@", "git://", "ssh://")
# The flags of ADD that COPY takes too (the Dockerfile reference).
_COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})


@rule(
    code="IG301",
    name="add-instead-of-copy",
    severity="medium",
    kinds=("image_build",),
    tags=("dockerfile", "supply-chain"),
    references={"hadolint": ["DL3020"], "checkov": ["CKV_DOCKER_4"], "trivy": ["DS005"]},
    fix=unsafe_fix("dockerfile"),
)
def check(resource, options):
    """`ADD` is used where `COPY` (or a verified download) belongs.

    ## What it checks
    Each `ADD` whose source is a URL or Git repository without `--checksum`, or a
    local file that is not a tar archive (the one thing `ADD` does that `COPY` does
    not: extracting local archives). Sources given by unknown build arguments are not
    reported.

    ## Why it matters
    `ADD <url>` downloads at build time with no integrity check, so whatever the
    server returns ends up in the image. For plain files, `ADD`'s implicit extraction
    and download behaviour make the instruction do more than it says.

    ## How to fix
    Use `COPY` for local files. For downloads, use `ADD --checksum=sha256:...` or
    fetch with curl in a `RUN` step and verify the checksum.

    The fix turns `ADD` into `COPY` when every source is a local file that is not a
    tar archive by its name and every flag is one `COPY` takes too. It is unsafe:
    `ADD` recognises a local tar archive by its content, not its name, and extracts
    it, where `COPY` copies the archive.

    ## Example
    Fails: `ADD app.py /app/` and `ADD https://example.com/tool.tgz /opt/`.
    Passes: `COPY app.py /app/`, `ADD rootfs.tar.gz /`,
    `ADD --checksum=sha256:24454f83... https://example.com/tool.tgz /opt/`.
    """
    for step in resource.value("copies") or ():
        if step.instruction != "ADD":
            continue
        fix = _to_copy(step)
        if step.heredoc:
            yield problem(step.location, "ADD with inline content: use COPY", fix=fix)
            continue
        for source in step.sources:
            text = source.value
            if not isinstance(text, str):
                continue
            if text.lower().startswith(_REMOTE):
                if "checksum" not in step.flags:
                    yield problem(source, f"ADD downloads {text} without --checksum; verify the download or use COPY")
                break
            if not text.lower().endswith(_ARCHIVES):
                yield problem(source, f"ADD of {text}, which is not an archive: use COPY", fix=fix)
                break


def _to_copy(step):
    """`ADD` replaced by `COPY`, when that copies the same files."""
    local = all(isinstance(source.value, str) and not source.value.lower().startswith(_REMOTE) for source in step.sources)
    archive = any(source.value.lower().endswith(_ARCHIVES) for source in step.sources if isinstance(source.value, str))
    if not local or archive or not _COPY_FLAGS.issuperset(step.flags):
        return None
    at = step.location
    return Fix("Use COPY", (Edit(at.line, at.column, at.line, at.column + 3, "COPY"),))
