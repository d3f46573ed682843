FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN dotnet publish -o /out
FROM mcr.microsoft.com/dotnet/runtime-deps:8.0-jammy-chiseled
COPY --from=build /out /app
USER 10001
