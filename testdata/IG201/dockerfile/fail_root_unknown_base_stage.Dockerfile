ARG BASE
FROM ${BASE} AS base
RUN echo "built on an image named at build time"

FROM base
USER root:root
