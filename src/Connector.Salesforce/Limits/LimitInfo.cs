using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.Salesforce.Limits;

/// <summary>The org's daily API usage as the <c>Sforce-Limit-Info: api-usage=18/5000</c> header reports it.</summary>
public sealed partial record LimitInfo(long Used, long Max)
{
    /// <summary>Share of the daily allocation used, 0 to 1.</summary>
    public double UsedShare => Max == 0 ? 0 : (double)Used / Max;

    public static LimitInfo? Parse(string? header)
    {
        if (header is null)
        {
            return null;
        }

        var match = ApiUsage().Match(header);
        return match.Success
            ? new LimitInfo(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;
    }

    [GeneratedRegex(@"(?:^|[\s,;])api-usage=(\d+)/(\d+)")]
    private static partial Regex ApiUsage();
}
