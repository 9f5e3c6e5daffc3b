using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Runs;

/// <summary>Checks Connector:Billing at start; each failure is one line naming the key, the value and what is allowed.</summary>
internal sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        var failures = new List<string>();
        if (!TimeZoneExists(options.TimeZone))
        {
            failures.Add($"Connector:Billing:TimeZone = '{options.TimeZone}' is not allowed: use an IANA time zone id such as Europe/Madrid or UTC.");
        }

        foreach (var (key, value) in new[] { ("InvoiceSeries", options.InvoiceSeries), ("CreditNoteSeries", options.CreditNoteSeries) })
        {
            if (!Numbering.NumberSeries.IsValid(value))
            {
                failures.Add($"Connector:Billing:{key} = '{value}' is not allowed: use 1-20 letters, digits, '-', '_' or '/', optionally with {Numbering.NumberSeries.YearToken} for one series per year.");
            }
        }

        if (string.Equals(options.InvoiceSeries, options.CreditNoteSeries, StringComparison.Ordinal))
        {
            failures.Add($"Connector:Billing:CreditNoteSeries = '{options.CreditNoteSeries}' is not allowed: it must differ from Connector:Billing:InvoiceSeries, or invoices and credit notes would share numbers.");
        }

        if (options.BillingDayOfMonth is < 1 or > 31)
        {
            failures.Add($"Connector:Billing:BillingDayOfMonth = '{options.BillingDayOfMonth}' is not allowed: use 1 to 31 (31 = the month's last day).");
        }

        if (!Enum.IsDefined(options.Proration))
        {
            failures.Add($"Connector:Billing:Proration = '{options.Proration}' is not allowed: use {string.Join(", ", Enum.GetNames<Schedules.ProrationMethod>())}.");
        }

        if (!Enum.IsDefined(options.TaxRounding))
        {
            failures.Add($"Connector:Billing:TaxRounding = '{options.TaxRounding}' is not allowed: use {string.Join(", ", Enum.GetNames<Invoices.TaxRounding>())}.");
        }

        if (Documents.Languages.DocumentLanguage.Find(options.DocumentLanguage) is null)
        {
            failures.Add($"Connector:Billing:DocumentLanguage = '{options.DocumentLanguage}' is not allowed: use {string.Join(", ", Documents.Languages.DocumentLanguage.Supported)}.");
        }

        if (string.IsNullOrWhiteSpace(options.Seller.Name))
        {
            failures.Add("Connector:Billing:Seller:Name is empty: invoices must name the seller.");
        }

        failures.AddRange(options.Seller.EndpointFailures("Connector:Billing:Seller"));

        failures.AddRange(LegalEntities.LegalEntityValidation.Failures(options.LegalEntities));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool TimeZoneExists(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}
