FROM alpine:3.20
COPY app.py /app/
ADD https://example.com/tool.tgz /opt/
COPY --chown=app:app config/ /etc/app/
