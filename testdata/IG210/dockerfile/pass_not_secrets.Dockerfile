FROM alpine:3.20
ARG GITHUB_TOKEN
ENV DB_PASSWORD_FILE=/run/secrets/db_password \
    SECRET_NAME=orders-db \
    TOKEN_URL=https://login.example.com/token \
    PASSWORD_MIN_LENGTH=12 \
    API_KEY="" \
    AUTH_TOKEN=$GITHUB_TOKEN \
    USE_SECRETS=true \
    API_TOKEN=<your-token> \
    DB_PASSWORD=changeme \
    CLIENT_SECRET=INSERT_CLIENT_SECRET_HERE
USER 10001
