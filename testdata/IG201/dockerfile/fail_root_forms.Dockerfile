FROM alpine:3.20 AS first
USER app
USER 0:0
