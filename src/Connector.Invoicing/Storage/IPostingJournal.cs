using System.Data.Common;

namespace Connector.Invoicing.Storage;

/// <summary>
/// What the pipeline around the billing core learns of each posting, written in the posting's own transaction (on
/// <see cref="DbTransaction.Connection"/>), so that a document and what the outside must hear of it commit together or
/// not at all. The core owns this interface and knows nothing of who listens (the write-back outbox, the quarantine).
/// </summary>
internal interface IPostingJournal
{
    /// <summary>A book's save appended documents and ledger changes (invoices, credit notes, payments, credits, disputes).</summary>
    Task BookSavedAsync(SavedBook saved, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>A rendered document was stored for a posted invoice, or replaced by a new rendering.</summary>
    Task DocumentStoredAsync(DocumentStored stored, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>Work the core set aside for a person: lines it holds, payments it could not apply.</summary>
    Task SetAsideAsync(IReadOnlyList<SetAside> items, DbTransaction transaction, CancellationToken cancellationToken);
}

/// <summary>What one save of a book appended: its new documents, and the accounts whose figures it may have changed.</summary>
/// <param name="Book">The book after the engine worked on it (balances are read from it).</param>
/// <param name="AccountIds">The accounts the book was loaded for.</param>
/// <param name="NewInvoices">Invoices this save posted.</param>
/// <param name="AsOf">The day balances and payment status are taken on.</param>
internal sealed record SavedBook(Billing.BillingBook Book, IReadOnlySet<string> AccountIds, IReadOnlyList<Invoices.Invoice> NewInvoices, DateOnly AsOf)
{
    /// <summary>The documents whose figures may have changed since they were last told (<see cref="Receivables.ReceivablesLedger.ChangedSince"/>); null: every document of the book.</summary>
    public (IReadOnlySet<string> Invoices, IReadOnlySet<string> CreditNotes)? Changed { get; init; }
}

/// <summary>A stored rendering of a posted invoice; <paramref name="ReplacesContentHash"/> names the rendering it replaced.</summary>
internal sealed record DocumentStored(long DocumentId, string InvoiceKey, string FileName, string ContentHash, string? ReplacesContentHash = null,
    Documents.DocumentOwner Owner = Documents.DocumentOwner.Invoice, Documents.DocumentFormat Format = Documents.DocumentFormat.Pdf);

/// <summary>
/// A record the core set aside, with the reason a person can act on. <paramref name="Source"/> and
/// <paramref name="Payload"/> say where it came from and what it held when the core has them; otherwise the listener
/// finds them by <paramref name="RecordId"/>.
/// </summary>
internal sealed record SetAside(string RecordId, string Reason, string? Source = null, string? Payload = null);
