FROM debian:12-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl

FROM base
RUN apt-get update \
 && apt-get install -y ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN apk add curl
RUN dnf install -y jq
# A look-alike folder is not the cache, and a relative path elsewhere is not either.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists_old
WORKDIR /tmp
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf lists
