FROM alpine:3.20
# apk takes /etc/apk/cache as its cache when the folder exists, as a mount makes it.
RUN --mount=type=cache,target=/etc/apk/cache apk add --update-cache curl
# What is written under a tmpfs or bind mount never reaches the layer.
RUN --mount=type=tmpfs,target=/var/lib/apt/lists apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=bind,target=/var/cache/apk,rw apk add git
RUN --mount=type=cache,target=/var/cache dnf install -y gcc
# The folder each version keeps its cache in: dnf 4, dnf5, yum 3.
RUN dnf install -y make && rm -rf /var/cache/dnf
RUN dnf install -y jq && rm -rf /var/cache/libdnf5/*
RUN yum install -y tar && rm -rf /var/cache/yum
RUN dnf install -y git && dnf clean packages metadata dbcache
RUN microdnf install patch && microdnf clean all
RUN zypper --non-interactive install vim && zypper clean --all
RUN zypper -n in less && zypper cc -a
RUN apt-get update && apt-get install -y --no-install-recommends jq && rm -rf /var/lib/apt/lists*
WORKDIR /var/cache
RUN --mount=type=cache,target=dnf dnf install -y diffutils
USER 1000
