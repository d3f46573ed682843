FROM python:3.12 AS base
RUN pip install --no-cache-dir flask==3.0.3

FROM base AS app
USER 10001
