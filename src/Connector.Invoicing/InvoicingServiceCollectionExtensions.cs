using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing;

public static class InvoicingServiceCollectionExtensions
{
    /// <summary>The billing core: storage (SQLite, PostgreSQL or SQL Server), invoice runs and documents. Options bind from Connector:Storage and Connector:Billing.</summary>
    public static IServiceCollection AddInvoicing(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();

        services.AddSingleton<ConnectorDatabase>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<IngestStore>();
        services.AddSingleton<InvoiceStore>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OperationsStore>();
        services.AddSingleton<LeaseStore>();
        services.AddSingleton<BillingClock>();
        services.AddSingleton<BookStore>();
        services.AddSingleton<InvoiceRunner>();
        services.AddSingleton<PortfolioForecast>();
        services.AddSingleton<ReceivablesService>();
        services.AddSingleton<PaymentApplier>();
        services.AddSingleton<DocumentRenderer>();
        return services;
    }
}
