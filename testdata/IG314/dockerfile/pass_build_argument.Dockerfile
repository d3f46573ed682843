FROM python:3.12-slim
ARG PIP_NO_CACHE_DIR=1
RUN pip install flask==3.0.3
