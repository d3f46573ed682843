FROM python:3.12-slim AS build
# A builder stage whose layers never ship is not reported.
RUN pip wheel -r requirements.txt -w /wheels && pip install build==1.2.1

FROM python:3.12-slim
RUN pip install --no-cache-dir -r requirements.txt
RUN python3 -m pip install --no-cache-dir flask==3.0.3 && pip install --no-cache-dir gunicorn==22.0.0
RUN --mount=type=cache,target=/var/cache/apt pip install --no-cache-dir uvicorn==0.30.1
COPY --from=build /wheels /wheels
