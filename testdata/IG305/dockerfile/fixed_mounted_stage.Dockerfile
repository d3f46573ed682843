FROM debian:12-slim AS base
# `build` mounts this stage's package lists and installs from them: removing
# them would break its install (no fix).
RUN apt-get update && apt-get install -y --no-install-recommends curl

FROM debian:12-slim AS build
RUN --mount=from=base,source=/var/lib/apt/lists,target=/var/lib/apt/lists,rw apt-get install -y --no-install-recommends gcc

FROM base
COPY --from=build /usr/bin/gcc /usr/local/bin/gcc
RUN apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
USER 10001
