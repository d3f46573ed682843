FROM myacr.azurecr.io/base/alpine:3.20 AS final
# A stage defined further down is no image from Docker Hub.
COPY --from=assets /out /srv
RUN --mount=from=assets,target=/assets ls /assets

FROM myacr.azurecr.io/base/alpine:3.20 AS assets
RUN mkdir /out
