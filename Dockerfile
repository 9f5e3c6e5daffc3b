# syntax=docker/dockerfile:1
# The connector's image: `connector run` by default (Deployment), `connector sync --once` for a CronJob.
# Runs as a non-root user and works with a read-only root filesystem: only /data (the SQLite file, when used)
# and /tmp are written. The PDF font ships inside the application.

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
# One runtime's native assets only (SkiaSharp ships every platform's): ~50 MB instead of ~550 MB.
RUN arch=$([ "$TARGETARCH" = "arm64" ] && echo arm64 || echo x64) \
 && dotnet publish src/Connector.Worker/Connector.Worker.csproj -c Release -o /app --os linux -a "$arch" --self-contained false /p:UseAppHost=true

# The full (non-chiseled) runtime image ships ICU (libicu), which Microsoft.Data.SqlClient needs: the application runs
# with globalization on (InvariantGlobalization=false) and the invariant culture set in code. A chiseled base would
# need its -extra variant.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
RUN mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
ENV DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false \
    Connector__Storage__ConnectionString="Data Source=/data/connector.db" \
    Connector__Health__Port=8080
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["/app/connector", "healthcheck"]
ENTRYPOINT ["/app/connector"]
CMD ["run"]
