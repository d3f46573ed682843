FROM alpine:3.20
RUN --mount=type=bind,from=busybox:1.36,target=/bb true
USER 65534
