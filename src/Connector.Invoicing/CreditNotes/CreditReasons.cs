using System.Globalization;
using System.Text.RegularExpressions;

namespace Connector.Invoicing.CreditNotes;

/// <summary>
/// The reasons billing writes on the credit notes it issues by itself, in one place: as the audit text stored with the
/// credit note and written to the org (English, with the ids an admin needs), and recognised again (<see cref="Parse"/>)
/// so that a PDF prints the reason in the customer's language without the ids. A reason given by a person (a manual
/// credit note, a dispute) is not recognised and prints as given.
/// </summary>
internal static partial class CreditReasons
{
    public const string AccountCredit = "Discounts outweigh the charges due: credit for the account (a negative invoice is never issued)";

    public static string Cancellation(string familyId, DateOnly effective) =>
        string.Create(CultureInfo.InvariantCulture, $"Cancellation of {familyId} effective {effective:yyyy-MM-dd}");

    public static string Amendment(string orderId, string revises) => $"Amendment {orderId} of {revises}";

    public static string ServiceChange(string lineId) => $"Service change on {lineId}";

    public static string UsageCorrection(string lineId, string span, string rated, string billed) =>
        $"Usage of {lineId} for {span} corrected: its total now rates {rated}, {billed} was billed";

    /// <summary>A stored reason as the customer reads it: billing's own reasons in <paramref name="language"/>, without ids; a person's as written.</summary>
    public static string Describe(string stored, Documents.Languages.DocumentLanguage language)
    {
        var parts = Parse(stored)
            .Select(p => p.Kind is { } kind ? language.Text("reason." + kind, ("date", p.Date is { } d ? language.Date(d) : "")) : p.Text)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var text = string.Join("; ", parts);
        return text.Length == 0 ? stored : char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
    }

    /// <summary>
    /// Each part of a stored reason (parts are joined by "; ") as a kind a language file words (cancellation, amendment,
    /// serviceChange, usageCorrection, accountCredit) with the date it names, or null and the part itself when a
    /// person wrote it.
    /// </summary>
    public static IEnumerable<(string? Kind, DateOnly? Date, string Text)> Parse(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        foreach (var part in reason.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            if (CancellationShape().Match(part) is { Success: true } cancellation)
            {
                yield return ("cancellation", DateOnly.ParseExact(cancellation.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture), part);
            }
            else if (AmendmentShape().IsMatch(part))
            {
                yield return ("amendment", null, part);
            }
            else if (ServiceChangeShape().IsMatch(part))
            {
                yield return ("serviceChange", null, part);
            }
            else if (UsageShape().IsMatch(part))
            {
                yield return ("usageCorrection", null, part);
            }
            else
            {
                yield return (part == AccountCredit ? "accountCredit" : null, null, part);
            }
        }
    }

    [GeneratedRegex("^Cancellation of \\S+ effective ([0-9]{4}-[0-9]{2}-[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex CancellationShape();

    [GeneratedRegex("^Amendment \\S+ of \\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex AmendmentShape();

    [GeneratedRegex("^Service change on \\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceChangeShape();

    [GeneratedRegex("^Usage of \\S+ for .+ corrected: its total now rates .+$", RegexOptions.CultureInvariant)]
    private static partial Regex UsageShape();
}
