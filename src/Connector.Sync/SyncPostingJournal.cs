using System.Data.Common;
using Connector.Invoicing.Storage;
using Connector.Sync.Quarantine;
using Connector.Sync.WriteBack;

namespace Connector.Sync;

/// <summary>
/// The pipeline's side of billing's <see cref="IPostingJournal"/>: postings and documents become write-back facts in
/// the outbox, and what billing set aside becomes quarantine rows, each in the posting's own transaction.
/// </summary>
internal sealed class SyncPostingJournal(FactsProjector facts, QuarantineStore quarantine) : IPostingJournal
{
    public Task BookSavedAsync(SavedBook saved, DbTransaction transaction, CancellationToken cancellationToken) =>
        facts.BookSavedAsync(saved, transaction, cancellationToken);

    public Task DocumentStoredAsync(DocumentStored stored, DbTransaction transaction, CancellationToken cancellationToken) =>
        facts.DocumentStoredAsync(stored, transaction, cancellationToken);

    public Task SetAsideAsync(IReadOnlyList<SetAside> items, DbTransaction transaction, CancellationToken cancellationToken) =>
        quarantine.SetAsideAsync(items, transaction, cancellationToken);
}
