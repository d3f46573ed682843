# Distroless `latest` runs as root; only the nonroot tags do not.
FROM gcr.io/distroless/static-debian12:latest
COPY app /app
ENTRYPOINT ["/app"]
