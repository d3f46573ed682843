FROM fedora:40 AS build
# A builder stage whose layers never ship is not reported.
RUN dnf install gcc

FROM debian:12-slim
RUN apt-get update && apt-get install --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN dnf install jq && dnf clean all
RUN yum -q install git && yum clean all
RUN zypper install vim && zypper clean
COPY --from=build /usr/bin/gcc /usr/local/bin/gcc
