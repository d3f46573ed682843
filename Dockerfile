# iacguard as a container image: small (slim base; the final stage adds only the
# installed package), non-root, and offline at run time like the tool itself.
#
#   docker build -t iacguard .
#   docker run --rm -v "$PWD:/src:ro" iacguard scan .
#
# The base is pinned by digest (the multi-platform index of python:3.12-slim). To move
# to a newer one, read its digest with `docker buildx imagetools inspect
# python:3.12-slim` and change both FROM lines.
FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea AS build
WORKDIR /build
COPY pyproject.toml setup.py README.md ./
COPY iacguard/ iacguard/
COPY rules/ rules/
RUN pip install --no-cache-dir --disable-pip-version-check --prefix=/install /build

FROM python:3.12-slim@sha256:78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea
COPY --from=build /install /usr/local
ENV PYTHONDONTWRITEBYTECODE=1
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["iacguard"]
CMD ["scan", "."]
