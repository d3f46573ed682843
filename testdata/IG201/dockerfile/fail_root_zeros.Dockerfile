FROM alpine:3.20
# 0000 is UID 0 to the runtime, as 0 is.
USER 0000
