FROM ubuntu:24.04
USER root
RUN apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*
RUN if ! command -v sudo >/dev/null; then echo "no sudo" >&2; fi
USER app
