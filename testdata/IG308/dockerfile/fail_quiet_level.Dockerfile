FROM debian:12-slim
# Quiet level 1, or Assume-Yes set false, still asks.
RUN apt-get -q install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get -o APT::Get::Assume-Yes=false install --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
