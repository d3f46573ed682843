# escape=`
# Nano Server images run as ContainerUser: no USER needed.
FROM mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022 AS build
RUN dotnet publish -o C:\out
FROM mcr.microsoft.com/dotnet/runtime:8.0-nanoserver-ltsc2022
COPY --from=build C:\out C:\app
