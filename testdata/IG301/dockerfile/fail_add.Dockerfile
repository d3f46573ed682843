FROM alpine:3.20
ADD app.py /app/
ADD https://example.com/tool.tgz /opt/
ADD --chown=app:app config/ /etc/app/
