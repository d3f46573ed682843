# The distroless nonroot tags run as UID 65532: no USER needed.
FROM golang:1.22 AS build
RUN CGO_ENABLED=0 go build -o /app .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
ENTRYPOINT ["/app"]
