# syntax=docker/dockerfile:1
#
# The SIDS ML backend as a container: the Azure Functions host (port 80) starts the custom handler
# (SidsFunctions, from host.json) and forwards each HTTP request to it, as on the consumption plan.
#
#   docker build -t sids-ml-backend .                           # restore, build, test, publish
#   docker build --build-arg RUN_TESTS=false -t sids-ml-backend .  # when CI already ran the tests
#   docker run -p 8080:80 -e AzureWebJobsStorage="<connection string>" sids-ml-backend
#
# The timer function (AggregateTimeEstimates) needs AzureWebJobsStorage; the HTTP functions do not.

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
# A Functions host image that is maintained: the host does not use its .NET 10 runtime for a custom
# handler (the handler is published self-contained), any `azure-functions/*:4` host image would do.
ARG HOST_IMAGE=mcr.microsoft.com/azure-functions/dotnet-isolated:4-dotnet-isolated10.0

# Only the files that decide the restore, so that the restore layer is reused until one of them changes.
FROM ${SDK_IMAGE} AS projects
WORKDIR /src
COPY . .
RUN find . -type f ! -name '*.csproj' ! -name '*.sln' ! -name '*.props' ! -name '*.targets' ! -name 'NuGet.Config' -delete \
    && find . -type d -empty -delete

FROM ${SDK_IMAGE} AS build
# true: the image runs the README's test command before it publishes (needs Node for Azurite);
# false: skip them, for a pipeline whose Build stage already ran them on the same commit.
ARG RUN_TESTS=true
WORKDIR /src
COPY --from=projects /src ./
# The linux-x64 restore brings the runtime packs of the self-contained publish into this cached layer.
RUN dotnet restore SidsMl.sln \
    && dotnet restore SidsFunctions/SidsFunctions.csproj -r linux-x64 -p:SelfContained=true
COPY . .
RUN dotnet build SidsMl.sln -c Release --no-restore
RUN if [ "$RUN_TESTS" = "true" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends nodejs npm \
        && rm -rf /var/lib/apt/lists/* \
        && bash .ci/run; \
    fi
# Self-contained, as on the consumption plan (whose host has no .NET 10 runtime): the handler does not
# depend on the runtimes of the host image.
RUN dotnet publish SidsFunctions/SidsFunctions.csproj -c Release -r linux-x64 --self-contained \
        -o /home/site/wwwroot \
    && test -x /home/site/wwwroot/SidsFunctions \
    && test -f /home/site/wwwroot/host.json

FROM ${HOST_IMAGE}
# FUNCTIONS_WORKER_RUNTIME=custom: the host runs the executable host.json names, not a language worker.
# AzureWebJobsDisableHomepage: "/" reaches the handler (the service's greeting) instead of the host's page.
ENV AzureWebJobsScriptRoot=/home/site/wwwroot \
    AzureFunctionsJobHost__Logging__Console__IsEnabled=true \
    FUNCTIONS_WORKER_RUNTIME=custom \
    AzureWebJobsDisableHomepage=true
# The app files belong to root and are not writable by anyone else; the handler writes nothing there.
COPY --from=build --chown=root:root /home/site/wwwroot /home/site/wwwroot
# The host runs as root, as every Azure Functions host image does: it listens on port 80 and writes
# under /azure-functions-host; running it as another user is not supported by the images
# (Azure/azure-functions-docker#424). The Kubernetes manifests drop every capability but
# NET_BIND_SERVICE and forbid privilege escalation instead (infra/k8s/deployments.yaml).
EXPOSE 80
# Liveness through the host, as the Kubernetes probes do; bash's /dev/tcp since the image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/80 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
