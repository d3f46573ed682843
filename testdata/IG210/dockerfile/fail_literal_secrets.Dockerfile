FROM alpine:3.20
ARG NPM_TOKEN=npm_0123456789abcdef
ENV DB_PASSWORD=hunter2 LOG_LEVEL=info
ENV dbConnectionString="Server=db;User Id=app;Password=hunter2"
ENV API_KEY 1f2e3d4c5b6a
ENV ADMIN_PASSWORD=my-example-password-123
USER 10001
