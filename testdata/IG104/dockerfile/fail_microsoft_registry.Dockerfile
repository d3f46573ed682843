FROM mcr.microsoft.com/dotnet/sdk:8.0
USER 10001
