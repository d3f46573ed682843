FROM myacr.azurecr.io/mirror/golang:1.22 AS build
RUN go build ./...

FROM ghcr.io/acme/runtime:2.1
COPY --from=build /out /app
USER 10001
