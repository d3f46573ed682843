FROM alpine:3.20 AS base
USER root

FROM base
RUN echo "inherits USER root from the base stage"
