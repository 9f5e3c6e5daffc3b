namespace Connector.Invoicing.Orders;

/// <summary>What one batch of source records changes on the ordered side of billing: accounts, orders, lines, contract terms and payments received.</summary>
internal sealed class OrderChanges
{
    /// <summary>Where the records came from (kept with payments, so a payment set aside names its source).</summary>
    public required string Source { get; init; }

    public List<BillingAccount> Accounts { get; } = [];

    public List<OrderHeader> Orders { get; } = [];

    public List<BillableLine> Lines { get; } = [];

    public List<Receivables.IncomingPayment> Payments { get; } = [];

    public List<ContractTerm> Contracts { get; } = [];

    /// <summary>Order products' consumption schedules and their rates, as the org holds them.</summary>
    public List<Usage.OrgSchedule> Schedules { get; } = [];

    public List<Usage.OrgRate> Rates { get; } = [];

    /// <summary>Usage records, each idempotent by its usage id.</summary>
    public List<Usage.IncomingUsage> Usage { get; } = [];

    public bool IsEmpty => Accounts.Count + Orders.Count + Lines.Count + Payments.Count + Contracts.Count + Schedules.Count + Rates.Count + Usage.Count == 0;
}
