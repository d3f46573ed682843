# A stage on a non-root base (Chainguard's -dev variant of python runs as 65532
# too) passes its user to the final stage built on it.
FROM cgr.dev/chainguard/python:latest-dev AS runtime
ENV PYTHONUNBUFFERED=1

FROM runtime
COPY app.py /app/
CMD ["python", "/app/app.py"]
