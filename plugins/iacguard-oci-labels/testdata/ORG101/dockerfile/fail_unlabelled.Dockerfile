FROM alpine:3.20 AS build
LABEL org.opencontainers.image.source="https://github.com/acme/orders"
RUN echo built > /artifact

# The build stage's label does not reach the final stage, which is not built on it.
FROM alpine:3.20
COPY --from=build /artifact /artifact
USER 10001
