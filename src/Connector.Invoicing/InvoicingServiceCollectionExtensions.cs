using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Connector.Invoicing;

public static class InvoicingServiceCollectionExtensions
{
    /// <summary>The billing core: storage (SQLite or SQL Server), invoice runs and documents. Options bind from Connector:Storage and Connector:Billing.</summary>
    public static IServiceCollection AddInvoicing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName).ValidateDataAnnotations()
            .Validate(static o => TimeZoneExists(o.TimeZone), "Connector:Billing:TimeZone must be an IANA time zone id such as Europe/Madrid.")
            .ValidateOnStart();

        services.AddSingleton<ConnectorDatabase>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<IngestStore>();
        services.AddSingleton<InvoiceStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<BillingClock>();
        services.AddSingleton<InvoiceRunner>();
        services.AddSingleton<DocumentRenderer>();
        return services;
    }

    private static bool TimeZoneExists(string id)
    {
        try
        {
            _ = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }
}
