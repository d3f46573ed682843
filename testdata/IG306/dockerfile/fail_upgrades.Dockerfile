FROM debian:12-slim
RUN apt-get update && apt-get -y upgrade
RUN apt-get dist-upgrade -y
RUN apk upgrade --no-cache
RUN yum update -y
RUN apk upgrade --no-cache --ignore busybox
