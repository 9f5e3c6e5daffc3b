using System.Diagnostics;

/// <summary>The benches' way to start the connector in its own process: `dotnet connector.dll …` from the bench's output folder.</summary>
internal static class ConnectorProcess
{
    /// <summary>
    /// How to start <c>connector <paramref name="arguments"/></c> in <paramref name="directory"/> with these settings
    /// (configuration keys, given to it as environment variables), stdout and stderr redirected.
    /// </summary>
    public static ProcessStartInfo StartInfo(string directory, IEnumerable<KeyValuePair<string, string?>> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "connector.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }
}
