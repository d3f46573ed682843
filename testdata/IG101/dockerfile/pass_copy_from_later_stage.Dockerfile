FROM alpine:3.20 AS final
# `assets` is a stage of this file, defined further down: BuildKit looks COPY --from
# up among all stages (and refuses to build from a later one), never as an image.
COPY --from=assets /out /srv
USER 1000

FROM alpine:3.20 AS Assets
RUN mkdir /out
