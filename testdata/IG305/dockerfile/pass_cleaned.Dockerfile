FROM debian:12-slim AS build
# A builder stage does not ship, so its caches do not matter.
RUN apt-get update && apt-get install -y build-essential

FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN --mount=type=cache,target=/var/lib/apt \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN apk add --no-cache curl
RUN dnf install -y jq && dnf clean all
RUN apt-get update && apt-get install -y --no-install-recommends git && find /var/lib/apt/lists -type f -delete
RUN apt-get update && apt-get install -y --no-install-recommends jq && find /var/lib/apt/lists/ -mindepth 1 -exec rm -rf {} +
