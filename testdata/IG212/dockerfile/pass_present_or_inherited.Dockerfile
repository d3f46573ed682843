FROM nginx:1.27-alpine AS base
HEALTHCHECK --interval=30s --timeout=3s \
  CMD wget -qO- http://localhost/ || exit 1

FROM base
COPY site /usr/share/nginx/html
