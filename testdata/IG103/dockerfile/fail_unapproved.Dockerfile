FROM golang:1.22 AS build
RUN go build ./...

FROM ghcr.io/other-org/runtime:2.1
COPY --from=quay.io/prometheus/busybox:latest /bin/sh /bin/sh
USER 10001
