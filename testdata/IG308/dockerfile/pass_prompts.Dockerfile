FROM fedora:40 AS build
# A builder stage whose layers never ship is not reported.
RUN dnf install gcc

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get install -qq --no-install-recommends jq && rm -rf /var/lib/apt/lists/*
RUN apt-get update && apt-get --assume-yes install --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN dnf install -y make && dnf clean all
RUN yum -qy install tar && yum clean all
RUN zypper --non-interactive install vim && zypper clean
RUN zypper install --no-confirm less && zypper clean
RUN apk add --no-cache bash
RUN microdnf install tar && microdnf clean all
RUN pip install --no-cache-dir flask==3.0.3
COPY --from=build /usr/bin/gcc /usr/local/bin/gcc
