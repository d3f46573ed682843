FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1
# The step's own empty setting comes over the stage's: the cache is back on.
RUN PIP_NO_CACHE_DIR= pip install flask==3.0.3
USER 1000
