# escape=`
# Server Core images run as ContainerAdministrator unless told otherwise.
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN powershell -Command Write-Host hello
