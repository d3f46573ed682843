FROM python:3.12-slim
# A secret pip.conf or a folder of wheels is no cache: pip's stays in the layer.
RUN --mount=type=secret,id=pipconf,target=/etc/pip.conf pip install flask==3.0.3
RUN --mount=type=bind,source=wheels,target=/tmp/pip-wheels pip install gunicorn==22.0.0
USER 1000
