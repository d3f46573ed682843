FROM alpine:3.20
RUN chmod -R 755 /app && chmod 1777 /scratch && chmod a+rx /usr/local/bin/tool
COPY --chmod=0755 entrypoint.sh /
RUN chmod o+t,o+w /shared && chmod a+rwxt /spool
