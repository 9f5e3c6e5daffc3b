using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Connector.Sync.Cycles;

/// <summary>
/// Progress of long ingests and invoice runs: a line rewritten in place on an interactive terminal, a log line at
/// most every ten seconds (and at the end) otherwise, so a backfill of millions of records is visibly moving.
/// </summary>
internal sealed partial class ProgressReporter(ILogger<ProgressReporter> logger, TimeProvider time)
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
    private readonly bool _interactive = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("DOTNET_RUNNING_IN_CONTAINER") is null;
    private readonly Dictionary<string, DateTimeOffset> _lastLogged = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Report(string stage, long done, long? total = null)
    {
        var text = total is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{stage}: {done:N0} of {t:N0}")
            : string.Create(CultureInfo.InvariantCulture, $"{stage}: {done:N0}");
        lock (_gate)
        {
            if (_interactive)
            {
                Console.Error.Write("\r" + text.PadRight(60));
                return;
            }

            var now = time.GetUtcNow();
            if (!_lastLogged.TryGetValue(stage, out var last) || now - last >= LogEvery || done == total)
            {
                _lastLogged[stage] = now;
                if (total is { } all)
                {
                    Log.Progress(logger, stage, done, all);
                }
                else
                {
                    Log.ProgressSoFar(logger, stage, done);
                }
            }
        }
    }

    /// <summary>Ends a stage: the terminal line is kept, and the final count always logged.</summary>
    public void Complete(string stage, long done)
    {
        lock (_gate)
        {
            _lastLogged.Remove(stage);
            if (_interactive)
            {
                Console.Error.WriteLine();
            }
            else if (done > 0)
            {
                Log.Progress(logger, stage, done, done);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Progress {Stage}: {Done} of {Total}")]
        public static partial void Progress(ILogger logger, string stage, long done, long total);

        [LoggerMessage(Level = LogLevel.Information, Message = "Progress {Stage}: {Done} so far")]
        public static partial void ProgressSoFar(ILogger logger, string stage, long done);
    }
}
