# Chainguard's go image runs as root, its -dev variant too.
FROM cgr.dev/chainguard/go:latest-dev
RUN go build -o /app .
ENTRYPOINT ["/app"]
