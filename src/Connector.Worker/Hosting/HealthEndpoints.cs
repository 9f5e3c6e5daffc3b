using Connector.Storage;
using Connector.Salesforce.Auth;
using Connector.Sync.Cycles;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Connector.Worker.Hosting;

/// <summary>
/// The probes and metrics of <c>connector run</c>: <c>/healthz</c> (the process and its loop are alive),
/// <c>/readyz</c> (database reachable, mapping valid, last token fetch ok) and <c>/metrics</c> (Prometheus).
/// </summary>
internal static class HealthEndpoints
{
    public static IServiceCollection AddHealthEndpoints(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ConnectorMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", (LoopHeartbeat heartbeat, IOptions<SyncOptions> options, TimeProvider time) =>
            heartbeat.IsStuck(time.GetUtcNow(), options.Value.PollInterval)
                ? Results.Text("loop stuck: no cycle has ended for too long", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Text("ok"));

        app.MapGet("/readyz", async (ConnectorDatabase database, TokenCache tokens, CancellationToken cancellationToken) =>
        {
            var problems = new List<string>();
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken));
            }
            catch (Exception ex) when (ex is DatabaseUnavailableException or System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                problems.Add("database unreachable: " + (ex is DatabaseUnavailableException ? ex.Message : ex.GetType().Name));
            }

            if (tokens.LastFetchSucceeded == false)
            {
                problems.Add("the last Salesforce token request failed: " + tokens.LastFailure);
            }

            // The mapping was validated at start; the process does not start on an invalid one.
            return problems.Count == 0
                ? Results.Text("ready")
                : Results.Text(string.Join("; ", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapPrometheusScrapingEndpoint("/metrics");
    }
}
