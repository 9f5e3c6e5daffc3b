using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.Salesforce.Limits;

/// <summary>
/// The org's daily API usage as <c>Sforce-Limit-Info</c> reports it: <c>api-usage=18/5000</c>, and, when the connected
/// app has a limit of its own, <c>per-app-api-usage=17/250(appName=…)</c>. Either being spent refuses calls.
/// </summary>
internal sealed partial record LimitInfo(long Used, long Max, long? AppUsed = null, long? AppMax = null)
{
    /// <summary>Share of the tighter allocation used (the org's or the app's), 0 to 1.</summary>
    public double UsedShare => Math.Max(Max == 0 ? 0 : (double)Used / Max, AppMax is > 0 ? (double)AppUsed.GetValueOrDefault() / AppMax.Value : 0);

    public override string ToString() => AppMax is { } appMax
        ? string.Create(CultureInfo.InvariantCulture, $"{Used:N0}/{Max:N0} (this app {AppUsed:N0}/{appMax:N0})")
        : string.Create(CultureInfo.InvariantCulture, $"{Used:N0}/{Max:N0}");

    public static LimitInfo? Parse(string? header)
    {
        if (header is null)
        {
            return null;
        }

        var org = ApiUsage().Match(header);
        if (!org.Success)
        {
            return null;
        }

        var app = PerAppUsage().Match(header);
        return new LimitInfo(Number(org.Groups[1]), Number(org.Groups[2]), app.Success ? Number(app.Groups[1]) : null, app.Success ? Number(app.Groups[2]) : null);
    }

    private static long Number(Group group) => long.Parse(group.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(?:^|[\s,;])api-usage=(\d+)/(\d+)")]
    private static partial Regex ApiUsage();

    [GeneratedRegex(@"(?:^|[\s,;])per-app-api-usage=(\d+)/(\d+)")]
    private static partial Regex PerAppUsage();
}
