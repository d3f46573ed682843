# .NET 8 images define the `app` user but do not switch to it.
FROM mcr.microsoft.com/dotnet/aspnet:8.0
COPY out /app
ENTRYPOINT ["dotnet", "/app/api.dll"]
