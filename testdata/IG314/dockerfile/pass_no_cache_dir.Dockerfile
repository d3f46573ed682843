FROM python:3.12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN pip install build==1.2.1

FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
RUN python3 -m pip install --no-cache-dir flask==3.0.3
RUN --mount=type=cache,target=/root/.cache/pip pip install gunicorn==22.0.0
COPY --from=build /dist /dist
RUN --mount=type=cache,target=/root/.cache pip install uvicorn==0.30.1
RUN PIP_NO_CACHE_DIR=1 pip install httpx==0.27.0
RUN export PIP_NO_CACHE_DIR=off && pip install anyio==4.4.0
