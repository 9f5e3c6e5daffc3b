namespace Connector.Mapping.Profile;

/// <summary>
/// "Did you mean" hints for every file a person writes (mapping profiles, scenarios, receivables events): the known
/// name closest to a misspelt one by edit distance (case ignored), if it is close enough, or the one known name a
/// shortened one starts.
/// </summary>
internal static class Suggestions
{
    /// <summary>The likely meant name, or null.</summary>
    public static string? Closest(string given, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(given);
        var names = known.ToList();
        var best = names.Select(k => (Name: k, Distance: Distance(given.ToUpperInvariant(), k.ToUpperInvariant())))
            .OrderBy(x => x.Distance).FirstOrDefault();
        if (best.Name is not null && best.Name != given && best.Distance <= Math.Max(2, given.Length / 3))
        {
            return best.Name;
        }

        // A shortened name: 'billingFreq' for 'billingFrequency'.
        var prefixed = given.Length >= 4 ? names.Where(k => k.StartsWith(given, StringComparison.OrdinalIgnoreCase)).ToList() : [];
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>The hint as a message's tail, <c> (did you mean 'x'?)</c>, or empty.</summary>
    public static string For(string given, IEnumerable<string> known) =>
        Closest(given, known) is { } name ? $" (did you mean '{name}'?)" : "";

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
