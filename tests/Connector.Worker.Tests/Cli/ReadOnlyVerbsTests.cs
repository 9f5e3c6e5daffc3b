using System.Diagnostics;
using System.Text.Json;

namespace Connector.Worker.Tests.Cli;

/// <summary>
/// The verbs that only read or work on the stored state, run as ops run them (the executable, a fresh database, no
/// Salesforce settings at all): they start, and stdout carries their result alone, logs (the migration's included) on stderr.
/// </summary>
[TestFixture]
public sealed class ReadOnlyVerbsTests
{
    [TestCase(true, "status", "--json")]
    [TestCase(true, "quarantine", "list", "--json")]
    [TestCase(true, "receivables", "report", "--json")]
    [TestCase(false, "forecast")]
    [TestCase(false, "invoice-run", "--dry-run")]
    [TestCase(false, "status")]
    public async Task Verb_FreshDatabaseWithoutSalesforceSettings_ExitsZeroAndPrintsOnlyItsResultOnStdout(bool json, params string[] args)
    {
        // Arrange
        var directory = Directory.CreateTempSubdirectory("connector-readonly-");
        try
        {
            // Act
            var (exit, output, error) = await RunAsync(directory.FullName, args);

            // Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That(exit, Is.Zero, error);
                Assert.That(error, Does.Not.Contain("Salesforce"), "no org settings are asked for");
                Assert.That(output, Does.Not.Contain("info:").And.Not.Contain("Migrat"), "logs go to stderr");
                if (json)
                {
                    Assert.DoesNotThrow(() => JsonDocument.Parse(output).Dispose(), output);
                }
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string directory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "connector.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Connector__", StringComparison.Ordinal) || k == "DOTNET_RUNNING_IN_CONTAINER").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Connector__Storage__ConnectionString"] = $"Data Source={Path.Combine(directory, "fresh.db")}";
        start.Environment["Logging__LogLevel__Default"] = "Information";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
