FROM alpine:3.20
LABEL org.opencontainers.image.source=""
USER 10001
