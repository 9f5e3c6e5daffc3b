using Connector.Invoicing.Billing;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Runs;

namespace Connector.Invoicing.Storage;

/// <summary>A book as loaded, with what it held then, so a save appends only what was added.</summary>
internal sealed class LoadedBook
{
    internal LoadedBook(BillingBook book, IReadOnlySet<string> accountIds, IReadOnlyDictionary<string, long> sequences, int entryCount, LedgerMarks ledgerMarks) =>
        (Book, AccountIds, Sequences, EntryCount, LedgerMarks) = (book, accountIds, sequences, entryCount, ledgerMarks);

    public BillingBook Book { get; }

    public IReadOnlySet<string> AccountIds { get; }

    internal IReadOnlyDictionary<string, long> Sequences { get; }

    internal int EntryCount { get; }

    internal LedgerMarks LedgerMarks { get; }

    /// <summary>How many usage-billed marks the book held when loaded.</summary>
    internal int UsageBilledCount { get; init; }

    /// <summary>Lines the engine could not take, left out of the book (see <see cref="BookStore.HoldLinesAsync"/>).</summary>
    public IReadOnlyList<HeldLine> Faults { get; init; } = [];

    /// <summary>Each account's wake generation as the load saw it (see <see cref="AccountWakes"/>); absent: 0.</summary>
    internal IReadOnlyDictionary<string, long> Generations { get; init; } = new Dictionary<string, long>();

    /// <summary>The day each account's write-back facts were last all true on, as the load saw it; absent: unknown (a save projects all of them).</summary>
    internal IReadOnlyDictionary<string, DateOnly> FactsOn { get; init; } = new Dictionary<string, DateOnly>();

    /// <summary>
    /// The closed prefixes true for the load's day (see <see cref="ClosedPrefixes"/>), per account and currency: the day
    /// 90 days before it and the payable due before that; a save keeps them.
    /// </summary>
    internal IReadOnlyDictionary<(string AccountId, string Currency), (DateOnly Through, long PayableMinor)> NextPrefixes { get; init; } =
        new Dictionary<(string AccountId, string Currency), (DateOnly Through, long PayableMinor)>();

    /// <summary>How many invoice headers the load read by account (what it left in the store it did not read).</summary>
    internal int InvoicesRead { get; init; }

    /// <summary>The loaded invoices' parts read when first asked for; a save says which it will need.</summary>
    internal DeferredInvoices? Deferred { get; init; }

    /// <summary>
    /// Set by a run that took every line of the book (no line filter, no invoice batch) and was not a dry run: its save
    /// may then keep the accounts' next billing dates.
    /// </summary>
    public bool RanWhole { get; set; }

    /// <summary>The ids of the lines loaded per account, held lines left out.</summary>
    public ILookup<string, string> LinesByAccount { get; init; } = Array.Empty<string>().ToLookup(x => x, StringComparer.Ordinal);
}
