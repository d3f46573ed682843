FROM debian:12-slim AS base
# Stage 1 copies this stage's package lists (naming it by index) and installs
# from them: removing them would break its install (no fix).
RUN apt-get update && apt-get install -y --no-install-recommends curl

FROM debian:12-slim AS deps
COPY --from=0 /var/lib/apt/lists /var/lib/apt/lists
RUN apt-get install -y --no-install-recommends libssl-dev

FROM base AS runtime
# `build` mounts from this stage but refreshes the lists first: the cleanup is safe.
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*

FROM debian:12-slim AS build
RUN --mount=from=runtime,source=/etc/ssl,target=/etc/ssl apt-get update && apt-get install -y --no-install-recommends make && rm -rf /var/lib/apt/lists/*

FROM runtime
COPY --from=deps /usr/include/openssl /usr/include/openssl
COPY --from=build /usr/bin/make /usr/local/bin/make
USER 10001
