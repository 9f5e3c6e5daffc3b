using System.Text.Json;
using Connector.Worker.Simulation;

namespace Connector.Worker.Tests.Simulation;

/// <summary>
/// Runs every scenario under <c>tests/scenarios/</c> and compares the output with its hand-written
/// <c>NAME.expected.json</c>: every value the expected file names must be printed exactly so; arrays must have the same
/// length, so an extra or missing document fails. Each scenario's "about" says where its numbers come from. Files under
/// <c>tests/scenarios/invalid/</c> must be refused with the problems listed in their <c>NAME.expected.txt</c>.
/// </summary>
[TestFixture]
public sealed class ScenarioFileTests
{
    private static readonly string Folder = Repository.File("tests", "scenarios");

    public static IEnumerable<TestCaseData> Valid() =>
        Directory.GetFiles(Folder, "*.json")
            .Where(f => !f.EndsWith(".expected.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileNameWithoutExtension(f)).SetName($"Scenario_{Path.GetFileNameWithoutExtension(f)}"));

    public static IEnumerable<TestCaseData> Invalid() =>
        Directory.GetFiles(Path.Combine(Folder, "invalid"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileNameWithoutExtension(f)).SetName($"Invalid_{Path.GetFileNameWithoutExtension(f)}"));

    [TestCaseSource(nameof(Valid))]
    public void Scenario_Output_MatchesTheHandWrittenExpectation(string name)
    {
        // Arrange
        var scenario = ScenarioReader.Read(File.ReadAllText(Path.Combine(Folder, name + ".json")));
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, name + ".expected.json")));

        // Act
        var output = ScenarioWriter.Json(ScenarioRunner.Run(scenario));
        using var actual = JsonDocument.Parse(output);

        // Assert
        var differences = new List<string>();
        Compare(expected.RootElement, actual.RootElement, "$", differences);
        Assert.That(differences, Is.Empty, () => "Output:\n" + output);
    }

    [TestCaseSource(nameof(Valid))]
    public void Scenario_RunTwice_PrintsTheSameBytes(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, name + ".json"));

        var first = ScenarioWriter.Json(ScenarioRunner.Run(ScenarioReader.Read(text)));
        var second = ScenarioWriter.Json(ScenarioRunner.Run(ScenarioReader.Read(text)));

        Assert.That(second, Is.EqualTo(first));
    }

    [TestCaseSource(nameof(Invalid))]
    public void Invalid_Scenario_IsRefusedWithThePathAndWhatIsAllowed(string name)
    {
        var text = File.ReadAllText(Path.Combine(Folder, "invalid", name + ".json"));
        var expected = File.ReadAllLines(Path.Combine(Folder, "invalid", name + ".expected.txt")).Where(l => l.Length > 0).ToList();

        var error = Assert.Throws<ScenarioException>(() => ScenarioRunner.Run(ScenarioReader.Read(text)));

        Assert.That(error!.Problems, Has.Count.EqualTo(expected.Count), () => string.Join("\n", error.Problems));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.That(error.Problems[i], Does.Contain(expected[i]), () => string.Join("\n", error.Problems));
        }
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            differences.Add($"{path}: expected {expected.ValueKind} {expected.GetRawText()}, got {actual.ValueKind} {actual.GetRawText()}");
            return;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject())
                {
                    if (actual.TryGetProperty(property.Name, out var value))
                    {
                        Compare(property.Value, value, $"{path}.{property.Name}", differences);
                    }
                    else
                    {
                        differences.Add($"{path}.{property.Name}: missing");
                    }
                }

                break;
            case JsonValueKind.Array:
                var (e, a) = (expected.EnumerateArray().ToList(), actual.EnumerateArray().ToList());
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: expected {e.Count} items, got {a.Count}");
                }

                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                }

                break;
            default:
                if (expected.GetRawText() != actual.GetRawText())
                {
                    differences.Add($"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                }

                break;
        }
    }
}
