# The organisation's base images set a non-root USER (config.yaml lists them).
FROM registry.example.com/base/python:3.12
COPY app.py /app/
CMD ["python", "/app/app.py"]
