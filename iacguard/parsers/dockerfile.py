"""The Dockerfile format: which files are Dockerfiles, and reading them with
`iacguard.parsers.dockerfile_syntax`, imported when a Dockerfile is read: every scan
asks each format to claim its files by name, and a scan of other files need not make
the parser's classes (about 2 ms of a check of one file)."""

from __future__ import annotations

from iacguard.formats import Claim, ParsedFile


class DockerfileFormat:
    """The Dockerfile format: `Dockerfile`, `Containerfile`, `*.Dockerfile`, and
    `Dockerfile.*` when the content looks like one (not `Dockerfile.dockerignore`)."""

    name = "dockerfile"
    label = "Dockerfile"
    kinds = ("image_build",)

    def claim(self, filename: str) -> Claim:
        lower = filename.lower()
        if lower in ("dockerfile", "containerfile") or lower.endswith((".dockerfile", ".containerfile")):
            return Claim.YES
        if lower.startswith(("dockerfile.", "containerfile.")) and not lower.endswith(".dockerignore"):
            return Claim.MAYBE
        return Claim.NO

    def sniff(self, text: str) -> bool:
        """True when the first line that is neither blank nor a comment is an instruction."""
        from iacguard.parsers.dockerfile_syntax import is_instruction

        for line in text.splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                return is_instruction(stripped)
        return False

    def parse(self, text: str, path: str) -> ParsedFile:
        from iacguard.parsers.dockerfile_syntax import parse

        dockerfile, comments, spans = parse(text)
        return ParsedFile(path, self.name, text, dockerfile, comments, spans)
