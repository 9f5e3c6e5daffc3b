using Connector.Invoicing.Invoices;
using Connector.Invoicing.LegalEntities;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Billing;

/// <summary>The rules a billing book applies to every account: currency, proration, tax rounding and number series.</summary>
internal sealed record BookSettings
{
    public Currency Currency { get; init; } = Currency.Eur;

    public ProrationMethod Proration { get; init; } = ProrationMethod.MonthlyDaily;

    public TaxRounding TaxRounding { get; init; } = TaxRounding.PerRateOnDocument;

    public NumberSeries InvoiceSeries { get; init; } = new("INV");

    public NumberSeries CreditNoteSeries { get; init; } = new("CN");

    public Party Seller { get; init; } = new("Seller");

    /// <summary>
    /// The legal entities documents are issued by, the first the default; empty means one entity made of
    /// <see cref="Seller"/>, <see cref="InvoiceSeries"/> and <see cref="CreditNoteSeries"/>.
    /// </summary>
    public IReadOnlyList<LegalEntity> LegalEntities { get; init; } = [];

    /// <summary>The entities in effect: the configured ones, or the single one of the seller settings.</summary>
    public IReadOnlyList<LegalEntity> Entities =>
        LegalEntities.Count > 0 ? LegalEntities : [new LegalEntity("", Seller, InvoiceSeries, CreditNoteSeries) { VeriFactu = SellerVeriFactu }];

    /// <summary>Whether the seller of the legacy settings (no LegalEntities) keeps VERI*FACTU records.</summary>
    public bool SellerVeriFactu { get; init; }

    /// <summary>The entity an order names (by key, in any case), or the first when it names none.</summary>
    public LegalEntity Entity(string? key) =>
        string.IsNullOrWhiteSpace(key) ? Entities[0]
            : Entities.FirstOrDefault(e => string.Equals(e.Key, key.Trim(), StringComparison.OrdinalIgnoreCase))
                ?? throw new Receivables.BillingRuleException(
                    $"legal entity '{key}' is not configured (Connector:Billing:LegalEntities has {string.Join(", ", Entities.Select(e => e.Key))}); correct the order's legal entity or add the entity");

    /// <summary>The entity that issued a document, by the series of its number; the first when none matches (a series since renamed).</summary>
    public LegalEntity EntityOf(string number) => Entities.FirstOrDefault(e => e.Issued(number)) ?? Entities[0];

    /// <summary>The settings as configured (Connector:Billing).</summary>
    public static BookSettings From(Runs.BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new BookSettings
        {
            Proration = options.Proration,
            TaxRounding = options.TaxRounding,
            InvoiceSeries = new NumberSeries(options.InvoiceSeries),
            CreditNoteSeries = new NumberSeries(options.CreditNoteSeries),
            Seller = options.Seller.ToParty(),
            SellerVeriFactu = options.Seller.VeriFactu,
            DocumentLanguage = options.DocumentLanguage,
            XRechnungForGermanBuyers = options.XRechnungForGermanBuyers,
            LegalEntities = [.. options.LegalEntities.Select(e => new LegalEntity(e.Key.Trim(), e.ToParty(), new NumberSeries(e.InvoiceSeries), new NumberSeries(e.CreditNoteSeries))
            {
                Branding = new Branding(e.LogoPath, e.AccentColor, e.Iban, e.Bic, e.Footer),
                VeriFactu = e.VeriFactu,
            })],
        };
    }

    /// <summary>The language of documents for buyers whose account names none and whose country has none of ours.</summary>
    public string DocumentLanguage { get; init; } = "en";

    /// <summary>Whether German buyers' UBL files carry XRechnung's customization id.</summary>
    public bool XRechnungForGermanBuyers { get; init; }
}

/// <summary>A billing account: the buyer, the day its periods start on, its payment terms and default invoice batch.</summary>
internal sealed record BookAccount
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>1-31; 31 (or any day past a month's end) means the month's last day.</summary>
    public int BillingDayOfMonth { get; init; } = 1;

    public PaymentTerms PaymentTerms { get; init; } = PaymentTerms.Net(30);

    public string? TaxId { get; init; }

    public string? Street { get; init; }

    public string? City { get; init; }

    public string? PostalCode { get; init; }

    public string? Country { get; init; }

    /// <summary>Null bills in the book's currency.</summary>
    public Currency? Currency { get; init; }

    /// <summary>Salesforce Billing's Invoice Batch: runs can bill one batch at a time; documents never mix batches.</summary>
    public string? InvoiceBatch { get; init; }

    /// <summary>The documents' language: the account's (en, es, de, da), else its billing country's, else the book's default.</summary>
    public string? Language { get; init; }

    /// <summary>Its electronic address (a Peppol participant id and its EAS scheme code) and the reference its invoices quote (BT-10).</summary>
    public string? EndpointId { get; init; }

    public string? EndpointScheme { get; init; }

    public string? BuyerReference { get; init; }

    public Party AsParty(string defaultLanguage) =>
        new(Name, TaxId, Street, City, PostalCode, Country, Documents.Languages.DocumentLanguage.Choose(Language, Country, defaultLanguage), EndpointId, EndpointScheme, BuyerReference);
}

/// <summary>An order line as it arrives: prices per unit and whole billing period, net of tax.</summary>
internal sealed record NewLine
{
    public required string Id { get; init; }

    public required string Product { get; init; }

    public required ChargeType ChargeType { get; init; }

    public BillingFrequency? Frequency { get; init; }

    public BillingTiming Timing { get; init; } = BillingTiming.Advance;

    public required decimal UnitPrice { get; init; }

    public required decimal Quantity { get; init; }

    public required DateOnly Start { get; init; }

    public DateOnly? End { get; init; }

    public decimal TaxRate { get; init; }

    public string? TaxExemptReason { get; init; }

    public decimal WithholdingPercent { get; init; }

    /// <summary>For a usage line: its consumption schedule, which also sets its billing period.</summary>
    public Usage.ConsumptionSchedule? Consumption { get; init; }
}

/// <summary>An amending order's line: from <see cref="Start"/>, the revised line's total quantity is <see cref="Quantity"/>.</summary>
internal sealed record Revision(string Id, string Revises, decimal Quantity, DateOnly Start, decimal? UnitPrice = null);

/// <summary>What one invoice run posted (or, for a dry run, would post).</summary>
internal sealed record RunResult(
    DateOnly On,
    DateOnly TargetDate,
    bool DryRun,
    IReadOnlyList<Invoice> Invoices,
    IReadOnlyList<CreditNotes.CreditNote> CreditNotes);
