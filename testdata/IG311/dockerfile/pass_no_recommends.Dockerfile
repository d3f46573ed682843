FROM debian:12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
 && apt-get -o APT::Install-Recommends=false install -y jq \
 && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -y -o "APT::Install-Recommends=0" git && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/bin/make /usr/local/bin/make
