FROM alpine:3.20
RUN chmod -R 777 /app
RUN chmod o+w /data && chmod 0666 /etc/app.conf
COPY --chmod=777 entrypoint.sh /
RUN find /app -type d -exec chmod 777 {} +
