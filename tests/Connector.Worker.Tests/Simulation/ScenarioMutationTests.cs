using Connector.Worker.Simulation;

namespace Connector.Worker.Tests.Simulation;

/// <summary>
/// Mutations of the scenario examples (a seeded fuzzer: characters dropped, doubled or replaced, numbers and dates
/// pushed to extremes, lines swapped): each mutant either runs or is refused with a <see cref="ScenarioException"/>
/// (exit 2 with the JSON path); no other exception ever escapes.
/// </summary>
[TestFixture]
public sealed class ScenarioMutationTests
{
    private const int MutantsPerExample = 40;

    private static readonly string[] Extremes =
    [
        "\"9999-12-31\"", "\"0001-01-01\"", "\"2024-02-30\"", "\"79228162514264337593543950335\"", "\"-1e30\"", "\"NaN\"", "1e308",
        "\"0\"", "\"-0.001\"", "null", "[]", "{}", "\"\\u0000\"", "\"" + new string('x', 5000) + "\"", "-1", "2147483648",
    ];

    public static IEnumerable<TestCaseData> Examples() =>
        Directory.GetFiles(Path.Combine(Repository.Root, "tests", "scenarios"), "*.json")
            .Where(f => !f.EndsWith(".expected.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new TestCaseData(Path.GetFileName(f)).SetName($"Mutants_Of_{Path.GetFileNameWithoutExtension(f)}_RunOrAreRefusedWithAPath"));

    [TestCaseSource(nameof(Examples))]
    public void Mutants_RunOrAreRefusedWithAPath(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "tests", "scenarios", file));
        var random = new Random(20261203 ^ (file.Length * 31) ^ file[0]); // fixed per file: a failure reproduces
        var escaped = new List<string>();
        var (ran, refused) = (0, 0);
        for (var i = 0; i < MutantsPerExample; i++)
        {
            var mutant = Mutate(text, random);
            try
            {
                ScenarioRunner.Run(ScenarioReader.Read(mutant));
                ran++;
            }
            catch (ScenarioException ex) when (ex.Message.Contains('$', StringComparison.Ordinal))
            {
                refused++; // refused with its path: what the CLI prints with exit 2
            }
            catch (Exception ex)
            {
                escaped.Add($"{ex.GetType().Name}: {ex.Message}{Environment.NewLine}{mutant}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(escaped, Is.Empty);
            Assert.That(ran + refused, Is.EqualTo(MutantsPerExample));
        }
    }

    private static string Mutate(string text, Random random)
    {
        var mutant = text;
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            var at = random.Next(mutant.Length);
            mutant = random.Next(5) switch
            {
                0 => mutant.Remove(at, 1),
                1 => mutant.Insert(at, mutant[at].ToString()),
                2 => ReplaceValue(mutant, at, Extremes[random.Next(Extremes.Length)]),
                3 => mutant.Insert(at, "\"" + (char)random.Next(0, 0x3000) + "\""),
                _ => ReplaceValue(mutant, at, "\"" + new DateOnly(1900, 1, 1).AddDays(random.Next(0, 120_000)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "\""),
            };
        }

        return mutant;
    }

    /// <summary>Replaces the JSON value that follows the next ':' after <paramref name="at"/> (up to ',' or '}').</summary>
    private static string ReplaceValue(string text, int at, string value)
    {
        var colon = text.IndexOf(':', at);
        if (colon < 0)
        {
            return text;
        }

        var end = text.IndexOfAny([',', '}', ']'], colon + 1);
        return end < 0 ? text : string.Concat(text.AsSpan(0, colon + 1), " ", value, text.AsSpan(end));
    }
}
