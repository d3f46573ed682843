FROM debian:12-slim
RUN apt-get update && apt-get install -y --only-upgrade openssl
RUN yum update -y openssl
RUN apk upgrade --no-cache openssl libcrypto3
