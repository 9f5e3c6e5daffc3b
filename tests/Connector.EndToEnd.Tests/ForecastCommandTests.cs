using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.EndToEnd.Tests;

[TestFixture]
[NonParallelizable] // configures the process environment
public sealed partial class ForecastCommandTests
{
    [Test, CancelAfter(90_000)]
    public async Task Forecast_NextMonth_IsWhatTheRunAtThatMonthsEndPostsAndThenZero(CancellationToken cancellationToken)
    {
        // Arrange: one cycle bills what is due today.
        using var sandbox = new SandboxHarness();
        using var environment = EnvironmentScope.ForSandbox(sandbox);
        await CliRunner.RunAsync(cancellationToken, "sync", "--once");
        var today = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
        var next = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var month = next.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        // Act
        var before = await CliRunner.RunAsync(cancellationToken, "forecast", "--months", "3", "--from", month);
        var run = await CliRunner.RunAsync(cancellationToken, "invoice-run", "--target-date", next.AddMonths(1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var after = await CliRunner.RunAsync(cancellationToken, "forecast", "--months", "1", "--from", month);
        var byAccount = await CliRunner.RunAsync(cancellationToken, "forecast", "--months", "1", "--from", month, "--by-account");
        var unknownBatch = await CliRunner.RunAsync(cancellationToken, "invoice-run", "--dry-run", "--batch", "NOPE");

        // Assert
        var forecast = MonthNet(before.Output, month);
        var posted = NetColumn().Matches(run.Output).Sum(m => decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(before.Exit, Is.Zero, before.Error);
            Assert.That(before.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5), "a header, three months and a total");
            Assert.That(before.Output, Does.Contain("usage (estimate)"), "usage is labelled as an estimate");
            Assert.That(MonthUsage(before.Output, month), Is.EqualTo(22.63m), "Acme's API calls: (17.00 + 28.25) / 2, the average of the billed months, kept out of the committed figure");
            Assert.That(forecast, Is.GreaterThan(0m), before.Output);
            Assert.That(posted, Is.EqualTo(forecast), run.Output);
            Assert.That(MonthNet(after.Output, month), Is.Zero, after.Output);
            Assert.That(byAccount.Output, Does.Contain("Acme Iberia SL").And.Contain("Globex GmbH").And.Not.Contain("001"), "names, not ids");
            Assert.That(unknownBatch.Error, Does.Contain("no stored order is in invoice batch 'NOPE'"));
        }
    }

    [Test]
    public async Task Forecast_BadMonths_ExitsTwo()
    {
        var result = await CliRunner.RunAsync(CancellationToken.None, "forecast", "--months", "0");

        Assert.That((result.Exit, result.Error), Is.EqualTo((2, "--months = '0' is not allowed: use 1 to 120." + Environment.NewLine)));
    }

    /// <summary>The committed figure: the amount before the currency code.</summary>
    private static decimal MonthNet(string output, string month) =>
        decimal.Parse(Committed().Match(output.Split('\n').Single(l => l.StartsWith(month, StringComparison.Ordinal))).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The usage estimate: the amount after the currency code.</summary>
    private static decimal MonthUsage(string output, string month) =>
        decimal.Parse(output.Split('\n').Single(l => l.StartsWith(month, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1], CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(-?[0-9]+\.[0-9]+) [A-Z]{3}")]
    private static partial Regex Committed();

    [GeneratedRegex(@"net\s+(-?[0-9]+\.[0-9]+)")]
    private static partial Regex NetColumn();
}
