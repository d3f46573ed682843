FROM debian:12-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends git && find / -xdev -name '*.pyc' -delete
USER 10001
