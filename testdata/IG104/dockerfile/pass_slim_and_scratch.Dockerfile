FROM python:3.12-slim AS tools
RUN echo tools

FROM scratch
COPY --from=tools /usr/bin/env /env
