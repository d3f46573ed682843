FROM mcr.microsoft.com/dotnet/runtime:8.0
ADD https://example.com/tool.tar.gz /opt/
RUN apk add curl
ENV API_TOKEN=s3cr3t-v4lue-9f8e7d
