FROM gcr.io/distroless/base-debian12:debug-nonroot
USER root
ENTRYPOINT ["/busybox/sh"]
