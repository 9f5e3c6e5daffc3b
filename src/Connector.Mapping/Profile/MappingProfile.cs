namespace Connector.Mapping.Profile;

/// <summary>
/// An admin's mapping file (YAML, <c>version: 1</c>): which Salesforce fields feed billing and how their values are
/// transformed, and where billing facts are written back. Built only by <see cref="MappingProfileLoader"/>, which
/// validates all of it; immutable.
/// </summary>
internal sealed record MappingProfile(
    int Version,
    string Name,
    string Origin,
    IReadOnlyDictionary<string, SourceMapping> Sources,
    ProfileDefaults Defaults,
    IReadOnlyDictionary<string, ValueMap> ValueMaps,
    TaxRateTable TaxRates,
    IReadOnlyDictionary<string, WriteBackTarget> WriteBack,
    string ContentKeyField)
{
    /// <summary>The Account source, when the profile reads accounts on their own (so an address change alone reaches the next invoice).</summary>
    /// <summary>Field of the invoice record that receives the link to its PDF; null writes no link.</summary>
    public string? FileLinkField { get; init; }

    public SourceMapping? Account => Sources.GetValueOrDefault(Catalog.Account);

    public SourceMapping Order => Sources[Catalog.Order];

    public SourceMapping OrderItem => Sources[Catalog.OrderItem];

    /// <summary>The org's payment object, when payments are recorded in Salesforce; null otherwise.</summary>
    public SourceMapping? Payment => Sources.GetValueOrDefault(Catalog.Payment);

    /// <summary>The contracts lines belong to, when the profile reads them; a contract's end bounds its lines' service.</summary>
    public SourceMapping? Contract => Sources.GetValueOrDefault(Catalog.Contract);

    public WriteBackTarget InvoiceTarget => WriteBack["invoice"];

    public WriteBackTarget OrderTarget => WriteBack["order"];

    /// <summary>Where account figures (balance, overdue, disputed, available credit) go; null when the profile writes none.</summary>
    public WriteBackTarget? AccountTarget => WriteBack.GetValueOrDefault("account");

    /// <summary>Where credit notes go (linked to their account, order and corrected invoice); null when the profile writes none.</summary>
    public WriteBackTarget? CreditNoteTarget => WriteBack.GetValueOrDefault("creditNote");

    /// <summary>Where usage summaries (per usage line and billed period) go; null when the profile writes none.</summary>
    public WriteBackTarget? UsageSummaryTarget => WriteBack.GetValueOrDefault("usageSummary");

    /// <summary>The usage object whose records learn their status (Billed, Rejected); null when the profile writes none.</summary>
    public WriteBackTarget? UsageTarget => WriteBack.GetValueOrDefault("usage");
}
