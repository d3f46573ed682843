FROM debian:12-slim AS base
# The last stage, built on this one through `tools`, installs from the package
# lists this step leaves: removing them would break its install (no fix).
RUN apt-get update && apt-get install -y --no-install-recommends curl

FROM base AS tools
WORKDIR /srv

FROM tools
RUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
USER 10001
