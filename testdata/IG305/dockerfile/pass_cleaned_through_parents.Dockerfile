FROM debian:12-slim
# Removing a folder that holds the cache removes the cache.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt
# Relative paths are read from cd ...
RUN apt-get update && apt-get install -y --no-install-recommends jq \
 && cd /var/lib/apt && rm -rf lists
# ... and from WORKDIR.
WORKDIR /var/cache
RUN apk add curl && rm -rf apk
