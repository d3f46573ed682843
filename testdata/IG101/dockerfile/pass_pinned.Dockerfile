ARG GO_VERSION=1.22.5
FROM golang:${GO_VERSION}-alpine AS build
RUN go build -o /out/app ./cmd/app

FROM gcr.io/distroless/static@sha256:8dd8d3ca2cf283383304fd45a5c9c74d5f2cd9da8d3b0b7d9fd1d7a6d7b1d1ab
COPY --from=build /out/app /app
COPY --from=0 /etc/passwd /etc/passwd
USER nonroot
