FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .

# scratch has no configuration at all: the process runs as UID 0.
FROM scratch
COPY --from=build /app /app
ENTRYPOINT ["/app"]
