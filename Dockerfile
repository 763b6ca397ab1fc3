# syntax=docker/dockerfile:1
#
# The SIDS ML backend as a container: the Azure Functions host of the dotnet-isolated image listens on
# port 80, starts the isolated worker (SidsFunctions.dll, named by worker.config.json) and forwards each
# HTTP request to it, as on Flex Consumption.
#
#   docker build -t sids-ml-backend .
#   docker run -p 8080:80 -e AzureWebJobsStorage="<connection string>" sids-ml-backend
#
# The timer function (AggregateTimeEstimates) needs AzureWebJobsStorage; the HTTP functions do not.
# The tests run before the image is built (bash .ci/run; the pipeline's Build stage), not in it.

# Only the files that decide the restore, so that the restore layer is reused until one of them changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! -name '*.csproj' ! -name '*.sln' ! -name '*.props' ! -name '*.targets' ! -name 'NuGet.Config' -delete \
    && find . -type d -empty -delete

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY --from=projects /src ./
RUN dotnet restore SidsFunctions/SidsFunctions.csproj
COPY . .
# The function app, framework-dependent: the host image carries the .NET 10 runtime the worker runs on.
# Only this publish folder enters the image; the local host (SidsFunctions.LocalHost, for `dotnet run`
# without Core Tools) is never deployed, and the build fails if it ever lands in the folder.
RUN dotnet publish SidsFunctions -c Release -o /home/site/wwwroot \
    && test -f /home/site/wwwroot/functions.metadata \
    && test -f /home/site/wwwroot/worker.config.json \
    && test -f /home/site/wwwroot/SidsFunctions.dll \
    && ! ls /home/site/wwwroot | grep -q 'LocalHost'

FROM mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0
# The image already sets most of these; stated so that the image does not depend on its base's defaults.
# AzureWebJobsDisableHomepage: "/" reaches the app (the service's greeting) instead of the host's page.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    FUNCTIONS_WORKER_RUNTIME=dotnet-isolated \
    AzureWebJobsDisableHomepage=true
# The app files belong to root and are not writable by anyone else; the app writes nothing there.
COPY --from=build --chown=root:root /home/site/wwwroot /home/site/wwwroot
# The host runs as root, as every Azure Functions host image does: it listens on port 80 and writes
# under /azure-functions-host; running it as another user is not supported by the images
# (Azure/azure-functions-docker#424). The Kubernetes manifests drop every capability but
# NET_BIND_SERVICE and forbid privilege escalation instead (infra/k8s/deployments.yaml).
EXPOSE 80
# Liveness through the host to the worker, as the Kubernetes probes ask; bash's /dev/tcp since the image
# has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/80 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
