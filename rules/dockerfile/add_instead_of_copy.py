from iacguard import problem, rule

_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz", ".tbz2", ".tar.xz", ".txz", ".gz", ".bz2", ".xz")
_REMOTE = ("http://", "https://", "git@", "git://", "ssh://")


@rule(
    code="IG301",
    name="add-instead-of-copy",
    severity="medium",
    kinds=("image_build",),
    tags=("dockerfile", "supply-chain"),
    references={"hadolint": ["DL3020"], "checkov": ["CKV_DOCKER_4"], "trivy": ["DS005"]},
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

    ## Example
    Fails: `ADD app.py /app/` and `ADD https://example.com/tool.tgz /opt/`.
    Passes: `COPY app.py /app/`, `ADD rootfs.tar.gz /`,
    `ADD --checksum=sha256:24454f83... https://example.com/tool.tgz /opt/`.
    """
    for step in resource.value("copies") or ():
        if step.instruction != "ADD":
            continue
        if step.heredoc:
            yield problem(step.location, "ADD with inline content: use COPY")
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
                yield problem(source, f"ADD of {text}, which is not an archive: use COPY")
                break
