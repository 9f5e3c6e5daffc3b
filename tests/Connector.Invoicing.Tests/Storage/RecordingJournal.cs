using System.Data.Common;
using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Tests.Storage;

/// <summary>A journal that remembers what billing told it (the pipeline's journal is tested in Connector.Sync.Tests).</summary>
internal sealed class RecordingJournal : IPostingJournal
{
    public List<SavedBook> Saved { get; } = [];

    public List<DocumentStored> Documents { get; } = [];

    public List<SetAside> SetAside { get; } = [];

    public Task BookSavedAsync(SavedBook saved, DbTransaction transaction, CancellationToken cancellationToken)
    {
        lock (Saved)
        {
            Saved.Add(saved);
        }

        return Task.CompletedTask;
    }

    public Task DocumentStoredAsync(DocumentStored stored, DbTransaction transaction, CancellationToken cancellationToken)
    {
        lock (Documents)
        {
            Documents.Add(stored);
        }

        return Task.CompletedTask;
    }

    public Task SetAsideAsync(IReadOnlyList<SetAside> items, DbTransaction transaction, CancellationToken cancellationToken)
    {
        lock (SetAside)
        {
            SetAside.AddRange(items);
        }

        return Task.CompletedTask;
    }
}
