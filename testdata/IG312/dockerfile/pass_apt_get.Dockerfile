FROM debian:12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN apt update && apt install -y build-essential

FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# The word apt as an argument is not the program.
RUN apt-cache policy apt && echo apt > /etc/package-manager
COPY --from=build /usr/bin/make /usr/local/bin/make
