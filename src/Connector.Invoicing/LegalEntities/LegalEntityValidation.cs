using System.Globalization;
using System.Text.RegularExpressions;
using Connector.Invoicing.Numbering;
using SkiaSharp;

namespace Connector.Invoicing.LegalEntities;

/// <summary>Checks Connector:Billing:LegalEntities at start: one line per failure, naming the key, the value and what is allowed.</summary>
internal static partial class LegalEntityValidation
{
    public static IEnumerable<string> Failures(IReadOnlyList<LegalEntityOptions> entities)
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var series = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < entities.Count; i++)
        {
            var entity = entities[i];
            var at = $"Connector:Billing:LegalEntities:{i.ToString(CultureInfo.InvariantCulture)}";
            if (string.IsNullOrWhiteSpace(entity.Key) || entity.Key.Trim().Length > 80)
            {
                yield return $"{at}:Key = '{entity.Key}' is not allowed: name the entity as orders do (1-80 characters, e.g. ES).";
            }
            else if (!keys.Add(entity.Key.Trim()))
            {
                yield return $"{at}:Key = '{entity.Key}' is not allowed: another entity has that key.";
            }

            if (string.IsNullOrWhiteSpace(entity.Name))
            {
                yield return $"{at}:Name is empty: documents must name the seller.";
            }

            foreach (var (name, value) in new[] { ("InvoiceSeries", entity.InvoiceSeries), ("CreditNoteSeries", entity.CreditNoteSeries) })
            {
                if (!NumberSeries.IsValid(value))
                {
                    yield return $"{at}:{name} = '{value}' is not allowed: use 1-20 letters, digits, '-', '_' or '/', optionally with {NumberSeries.YearToken}.";
                }
                else if (series.TryGetValue(value, out var owner))
                {
                    yield return $"{at}:{name} = '{value}' is not allowed: {owner} uses it; every entity needs series of its own, or documents would share numbers.";
                }
                else
                {
                    series[value] = $"{at}:{name}";
                }
            }

            if (entity.AccentColor is { } color && !AccentShape().IsMatch(color))
            {
                yield return $"{at}:AccentColor = '{color}' is not allowed: use #RRGGBB, e.g. #0B5FFF.";
            }

            if (entity.Iban is { } iban && !BankAccount.IsValidIban(iban))
            {
                yield return $"{at}:Iban = '{iban}' is not allowed: not a valid IBAN (country, check digits, account; the check digits must match).";
            }

            if (entity.Bic is { } bic && !BankAccount.IsValidBic(bic))
            {
                yield return $"{at}:Bic = '{bic}' is not allowed: use 8 or 11 letters and digits (ISO 9362), e.g. CAIXESBBXXX.";
            }

            if (entity.LogoPath is { } logo && LogoProblem(logo) is { } problem)
            {
                yield return $"{at}:LogoPath = '{logo}' is not allowed: {problem}.";
            }

            foreach (var failure in entity.EndpointFailures(at))
            {
                yield return failure;
            }
        }
    }

    private static string? LogoProblem(string path)
    {
        if (!File.Exists(path))
        {
            return "no such file";
        }

        using var data = SKData.Create(path);
        using var image = data is null ? null : SKImage.FromEncodedData(data);
        return image is null ? "not a PNG or JPEG image" : null;
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccentShape();
}
