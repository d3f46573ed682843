# The base image comes from a build argument with a default.
ARG BASE_IMAGE=python
FROM ${BASE_IMAGE}
USER 10001
