# A registry given at build time: the image, and its system, are not known, but
# USER root is root whatever the base.
ARG REGISTRY
FROM ${REGISTRY}/python:3.12-slim
USER root
