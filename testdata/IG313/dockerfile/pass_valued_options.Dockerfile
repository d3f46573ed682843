FROM python:3.12-slim
# The values of pip's options are not packages.
RUN pip install --no-cache-dir --keyring-provider subprocess -r requirements.txt
RUN pip install --no-cache-dir --use-feature truststore --use-deprecated legacy-resolver flask==3.0.3
RUN pip install --no-cache-dir --group dev
RUN pip --proxy http://proxy.example.com:3128 install --no-cache-dir gunicorn==22.0.0
USER 1000
