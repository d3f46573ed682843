FROM python:3.12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN pip install --no-cache-dir build

FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt -c constraints.txt
# The constraints file pins what the line names.
RUN pip install --no-cache-dir -c constraints.txt flask gunicorn
RUN pip install --no-cache-dir flask==3.0.3 'gunicorn>=22,<23' "uvicorn[standard]~=0.30"
# Local paths, archives, URLs and values only known at build time are not package names.
RUN pip install --no-cache-dir . ./lib /dist/app-1.0-py3-none-any.whl https://example.com/tool.tar.gz
RUN pip install --no-cache-dir "$EXTRA_PACKAGES"
RUN pip install --no-cache-dir "mylib @ https://example.com/mylib-1.0.tar.gz"
COPY --from=build /dist /dist
