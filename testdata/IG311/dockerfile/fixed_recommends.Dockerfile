FROM debian:12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*

FROM debian:12-slim AS base
RUN apt-get update && apt-get install --no-install-recommends -y ca-certificates && rm -rf /var/lib/apt/lists/*

FROM base
RUN apt-get update && apt install --no-install-recommends -y curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
 && apt-get -o APT::Install-Recommends=true install --no-install-recommends -y jq \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/bin/make /usr/local/bin/make
