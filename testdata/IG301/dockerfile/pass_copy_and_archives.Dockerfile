FROM alpine:3.20
ARG SRC
COPY app.py /app/
ADD rootfs.tar.gz /
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/
ADD $SRC /src/
