FROM nginx:1.27-alpine AS web
HEALTHCHECK CMD wget -qO- http://localhost/ || exit 1

FROM nginx:1.27-alpine
COPY site /usr/share/nginx/html
