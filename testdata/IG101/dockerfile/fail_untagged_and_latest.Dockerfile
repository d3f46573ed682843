FROM ubuntu AS base
RUN echo base

FROM node:latest
COPY --from=nginx:latest /etc/nginx/nginx.conf /etc/nginx/
COPY --from=base /etc/os-release /tmp/
USER node
