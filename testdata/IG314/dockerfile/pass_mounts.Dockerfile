FROM python:3.12-slim
# What is written under a tmpfs or bind mount never reaches the layer.
RUN --mount=type=tmpfs,target=/root/.cache/pip pip install flask==3.0.3
RUN --mount=target=/root/.cache,rw pip install gunicorn==22.0.0
RUN PIP_NO_CACHE_DIR=false pip install uvicorn==0.30.1
USER 1000
