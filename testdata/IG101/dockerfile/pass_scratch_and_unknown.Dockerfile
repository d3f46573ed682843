# No default: the image is decided at build time, so nothing is reported.
ARG BUILDER
FROM $BUILDER AS build
RUN make

FROM scratch
COPY --from=build /app /app
