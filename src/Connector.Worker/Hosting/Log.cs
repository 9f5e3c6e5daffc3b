using Microsoft.Extensions.Logging;

namespace Connector.Worker.Hosting;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migrations {Versions}")]
    public static partial void MigrationsApplied(ILogger logger, string versions);
}
