using Connector.Mapping.Profile;

namespace Connector.Mapping.Tests.Fuzz;

/// <summary>
/// Mutations of the shipped mapping profiles (a seeded fuzzer: characters dropped, doubled or replaced, brackets,
/// tags, anchors, NUL bytes, deep nesting and second documents inserted): each mutant loads or is refused with
/// <see cref="MappingProfileException"/> whose every problem names file:line:column; nothing else ever escapes.
/// </summary>
[TestFixture]
public sealed class ProfileMutationTests
{
    private static readonly string[] Inserts =
    [
        "[", "]", "{", "}", ":", "- ", "\n", "  ", "\t", "!!binary ", "&a ", "*a", "\0", "\n---\n", "? ", "|", ">", "'", "\"", "#",
        new string('[', 5_000), "\u202E", "\uFEFF", "%YAML 1.2\n",
    ];

    [TestCase("cpq-default.yaml")]
    [TestCase("cpq-subscriptions.yaml")]
    [TestCase("salesforce-billing.yaml")]
    public void Mutants_LoadOrAreRefusedWithFileLineAndColumn(string profile)
    {
        var text = MappingProfileLoader.ShippedProfile(profile);
        var random = new Random(20261203 ^ profile.Length);
        var escaped = new List<string>();
        var (loaded, refused) = (0, 0);
        for (var i = 0; i < 300; i++)
        {
            var mutant = text;
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                var at = random.Next(mutant.Length);
                mutant = random.Next(3) switch
                {
                    0 => mutant.Remove(at, 1),
                    1 => mutant.Insert(at, Inserts[random.Next(Inserts.Length)]),
                    _ => mutant.Insert(at, mutant.Substring(at, Math.Min(20, mutant.Length - at))),
                };
            }

            try
            {
                MappingProfileLoader.Parse(mutant, "m.yaml");
                loaded++;
            }
            catch (MappingProfileException ex) when (ex.Problems.Count > 0 && ex.Problems.All(p => p.StartsWith("m.yaml:", StringComparison.Ordinal)))
            {
                refused++;
            }
            catch (Exception ex)
            {
                escaped.Add($"{ex.GetType().Name}: {ex.Message}{Environment.NewLine}{mutant}");
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(escaped, Is.Empty);
            Assert.That(loaded + refused, Is.EqualTo(300));
        }
    }
}
