FROM python:3.12-slim
RUN apt update && apt install -y curl
RUN apt-get install --no-install-recommends git
RUN pip install flask requests==2.32.3
RUN python -m pip install --no-cache-dir django
