ARG APP_UID
FROM alpine:3.20 AS base
USER app

FROM base AS app
RUN echo "inherits USER app"

FROM alpine:3.20
ARG APP_UID
USER $APP_UID
