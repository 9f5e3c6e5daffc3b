namespace Connector.Mapping.Profile;

/// <summary>"Did you mean" hints: the known name closest to a misspelt one, by edit distance, if it is close enough.</summary>
internal static class Suggestions
{
    public static string For(string given, IEnumerable<string> known)
    {
        var names = known.ToList();
        var best = names.Select(k => (Name: k, Distance: Distance(given.ToUpperInvariant(), k.ToUpperInvariant())))
            .OrderBy(x => x.Distance).FirstOrDefault();
        if (best.Name is not null && best.Distance > 0 && best.Distance <= Math.Max(2, given.Length / 3))
        {
            return $" (did you mean '{best.Name}'?)";
        }

        // A shortened name: 'billingFreq' for 'billingFrequency'.
        var prefixed = given.Length >= 4 ? names.Where(k => k.StartsWith(given, StringComparison.OrdinalIgnoreCase)).ToList() : [];
        return prefixed.Count == 1 ? $" (did you mean '{prefixed[0]}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
