FROM alpine:3.20 AS base
LABEL org.opencontainers.image.source="https://github.com/acme/orders"

# Inherited from the stage it is built on.
FROM base
USER 10001
