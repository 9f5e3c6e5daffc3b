using System.Diagnostics;

namespace Connector.Tests.Shared;

/// <summary>
/// The official validators (tests/einvoicing/validate: the UBL 2.1 schemas with xmllint and CEN's EN 16931 rules with
/// SaxonJS), run on files in one call. Where Node.js is missing the test is ignored, unless CONNECTOR_REQUIRE_EINVOICING
/// is 1 (CI), where that is a failure.
/// </summary>
internal static class EInvoiceValidator
{
    /// <summary>Each file's failed assertions (rule id, flag such as fatal or warning, text); an empty list is a file that passed.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(string Rule, string Flag, string Text)>> Validate(IReadOnlyList<string> files)
    {
        RequireNode();
        var start = new ProcessStartInfo(Repository.File("tests", "einvoicing", "validate"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root,
        };
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("validate did not start");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode is not (0 or 1))
        {
            Assert.Fail($"validate could not run (exit {process.ExitCode}): {output}{error.Result}");
        }

        var results = files.ToDictionary(f => f, _ => new List<(string, string, string)>());
        List<(string, string, string)>? current = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("OK ", StringComparison.Ordinal) || line.StartsWith("FAIL ", StringComparison.Ordinal))
            {
                var path = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim();
                current = results.GetValueOrDefault(path) ?? throw new InvalidOperationException($"validate named a file it was not given: {path}");
            }
            else if (current is not null && line.StartsWith("  ", StringComparison.Ordinal))
            {
                var parts = line.Trim().Split("  ", 3, StringSplitOptions.TrimEntries);
                current.Add((parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : ""));
            }
        }

        return results.ToDictionary(r => r.Key, r => (IReadOnlyList<(string, string, string)>)r.Value);
    }

    /// <summary>The fatal rule ids of each file that has any.</summary>
    public static IReadOnlyDictionary<string, string[]> Fatal(IReadOnlyList<string> files) =>
        Validate(files)
            .Where(r => r.Value.Any(f => f.Flag == "fatal"))
            .ToDictionary(r => Path.GetFileName(r.Key), r => r.Value.Where(f => f.Flag == "fatal").Select(f => $"{f.Rule}: {f.Text}").ToArray());

    private static void RequireNode()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var found = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "node")) && File.Exists(Path.Combine(d, "npm")));
        if (found)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CONNECTOR_REQUIRE_EINVOICING") == "1")
        {
            Assert.Fail("Node.js and npm are required here to run the EN 16931 validators (tests/einvoicing/README.md).");
        }

        Assert.Ignore("Node.js is not installed: the EN 16931 validators (tests/einvoicing) cannot run.");
    }
}
