using Microsoft.Extensions.Logging;

namespace Connector.Worker.Hosting;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migrations {Versions}")]
    public static partial void MigrationsApplied(ILogger logger, string versions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cycle done: {Invoices} invoices posted, {WrittenBack} records written back, {Quarantined} quarantined, {ApiCalls} API calls")]
    public static partial void CycleDone(ILogger logger, int invoices, int writtenBack, int quarantined, long apiCalls);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cycle failed; retrying on the next tick")]
    public static partial void CycleFailed(ILogger logger, Exception exception);
}
