FROM debian:12-slim
# Without globstar, `**` is `*`: the lists go.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/**
