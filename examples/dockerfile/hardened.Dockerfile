# The same service, built the way iacguard recommends.
FROM python:3.12-slim AS build
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir --prefix=/install -r requirements.txt

FROM python:3.12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /install /usr/local
COPY app/ /app/
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8000/healthz || exit 1
CMD ["python", "-m", "app"]
