using Connector.Invoicing.Documents;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing;

internal static class InvoicingServiceCollectionExtensions
{
    /// <summary>The billing core on the shared storage: books, invoice runs and documents. Options bind from Connector:Billing (and Connector:Storage).</summary>
    public static IServiceCollection AddInvoicing(this IServiceCollection services)
    {
        services.AddStorage();
        services.AddOptions<BillingOptions>().BindConfiguration(BillingOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BillingOptions>, BillingOptionsValidator>();
        services.AddOptions<VeriFactu.VeriFactuOptions>().BindConfiguration(VeriFactu.VeriFactuOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<VeriFactu.VeriFactuOptions>, VeriFactu.VeriFactuOptionsValidator>();
        services.AddSingleton<VeriFactu.IVeriFactuSender>(sp =>
        {
            var veriFactu = sp.GetRequiredService<IOptions<VeriFactu.VeriFactuOptions>>().Value;
            return new VeriFactu.AeatSoapSender(() => VeriFactu.AeatSoapSender.ClientFor(veriFactu), veriFactu.Endpoint);
        });
        services.AddSingleton<VeriFactu.VeriFactuSubmission>();
        services.AddSingleton(sp => new VeriFactu.VeriFactuLedger(sp.GetRequiredService<Connector.Storage.ConnectorDatabase>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<VeriFactu.VeriFactuOptions>>().Value));

        services.AddSingleton<InvoiceStore>();
        services.AddSingleton<OrderStore>();
        services.AddSingleton<UsageImporter>();
        services.AddSingleton<DocumentStore>();
        services.AddSingleton<BillingClock>();
        services.AddBookConflictRetries();
        services.AddSingleton<BookStore>();
        services.AddSingleton<InvoiceRunner>();
        services.AddSingleton<PortfolioForecast>();
        services.AddSingleton<PaymentApplier>();
        services.AddSingleton<DocumentRenderer>();
        return services;
    }
}
