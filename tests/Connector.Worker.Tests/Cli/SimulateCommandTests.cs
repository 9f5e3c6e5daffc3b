using System.Text.Json;
using Connector.Worker.Cli;

namespace Connector.Worker.Tests.Cli;

[TestFixture]
public sealed class SimulateCommandTests
{
    [Test]
    public async Task Simulate_ShippedExample_PrintsTheInvoicesAsJsonAndExitsZero()
    {
        var (exit, output, error) = await RunAsync("simulate", Repository.File("tests", "scenarios", "spec-example.json"));

        using var json = JsonDocument.Parse(output);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero, error);
            Assert.That(json.RootElement.GetProperty("invoices")[0].GetProperty("total").GetString(), Is.EqualTo("126.86"));
        }
    }

    [Test]
    public async Task Simulate_TableFormat_PrintsDocumentsForPeople()
    {
        var (exit, output, _) = await RunAsync("simulate", Repository.File("tests", "scenarios", "spec-example.json"), "--format", "table");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("INV-000001").And.Contain("CN-000001").And.Contain("126.86"));
        }
    }

    [Test]
    public async Task Simulate_TableFormatWithUsage_MarksUsageLinesAndListsEachRecordsStatus()
    {
        var (exit, output, _) = await RunAsync("simulate", Repository.File("tests", "scenarios", "usage-late-usage.json"), "--format", "table");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("2018-01-01..2018-01-31 x49    late usage          490.00"));
            Assert.That(output, Does.Contain("U5           L1       2018-02-27           -5  Billed    CN-000002"));
            Assert.That(output, Does.Contain("U7           L1       2018-02-11          -10  Billed" + Environment.NewLine), "no document: the difference was 0");
        }
    }

    [Test]
    public async Task Simulate_BadScenario_ExitsTwoWithEveryProblemAndNoStackTrace()
    {
        var (exit, output, error) = await RunAsync("simulate", Repository.File("tests", "scenarios", "invalid", "bad-values-lines.json"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty);
            Assert.That(error, Does.Contain("bad-values-lines.json: $.events[0].lines[0].chargeType").And.Contain("$.events[0].lines[1]"));
            Assert.That(error, Does.Not.Contain("   at "));
        }
    }

    [Test]
    public async Task Simulate_MissingFile_ExitsTwo()
    {
        var (exit, _, error) = await RunAsync("simulate", Path.Combine(Path.GetTempPath(), "no-such-scenario.json"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("cannot read the scenario"));
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ConnectorCli.Build(output, error).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }
}
