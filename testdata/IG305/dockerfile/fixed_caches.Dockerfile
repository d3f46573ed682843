FROM debian:12-slim AS tools
# A builder stage whose layers never ship: its caches are not reported.
RUN apt-get update && apt-get install -y --no-install-recommends build-essential
RUN apk add gcc

FROM debian:12-slim AS base
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

FROM base
RUN apt-get update \
 && apt-get install --no-install-recommends -y ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN apk add --no-cache curl
RUN dnf install -y jq && dnf clean all
# A look-alike folder is not the cache, and a relative path elsewhere is not either.
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists_old
WORKDIR /tmp
RUN apt-get update && apt-get install -y --no-install-recommends make && rm -rf lists && rm -rf /var/lib/apt/lists/*
COPY --from=tools /usr/bin/make /usr/local/bin/make
