FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
# pip ignores an empty setting: the cache is back on.
ENV PIP_NO_CACHE_DIR=
RUN pip install flask==3.0.3
RUN PIP_NO_CACHE_DIR= pip install gunicorn==22.0.0
RUN export PIP_NO_CACHE_DIR=1 && PIP_NO_CACHE_DIR= pip install uvicorn==0.30.1
USER 1000
