# .NET chiseled images switch to their `app` user (UID 1654).
FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
RUN dotnet publish -o /out

FROM mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled
COPY --from=build /out /app
ENTRYPOINT ["dotnet", "/app/api.dll"]
