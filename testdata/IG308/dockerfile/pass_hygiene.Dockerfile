FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
RUN pip install -r requirements.txt
RUN pip install flask==3.0.3 'gunicorn>=22,<23' .
RUN dnf install -y jq
