# The builder runs as root, which is fine: only the final stage ships.
FROM golang:1.22 AS build
RUN go build -o /app .

FROM alpine:3.20
COPY --from=build /app /app
USER 10001:10001
