FROM python:3.12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN pip install --no-cache-dir build

FROM python:3.12-slim
RUN pip install --no-cache-dir flask requests==2.32.3
RUN python -m pip install --no-cache-dir django
RUN pip3 install --no-cache-dir --upgrade 'gunicorn' "uvicorn[standard]"
COPY --from=build /dist /dist
