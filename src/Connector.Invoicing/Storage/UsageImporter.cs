using Connector.Invoicing.Usage;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>
/// Imports usage measured outside Salesforce (<c>connector usage import FILE.csv</c>), all or nothing: every record must
/// name an order product the connector has read, and a usage id stored before must hold the same content (it is then
/// skipped, so importing a file again changes nothing). The next invoice run bills the new records.
/// </summary>
internal sealed class UsageImporter(ConnectorDatabase database, TimeProvider timeProvider, OrderStore orders)
{
    private readonly UsageSql _sql = UsageSql.For(database.Provider);

    /// <summary>Stores the records (or, with <paramref name="dryRun"/>, only checks them); returns what it stored and, if it refused the file, why.</summary>
    public async Task<UsageImportResult> ImportAsync(IReadOnlyList<UsageRecord> records, string source, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in records.Select(r => r.LineId).Distinct(StringComparer.Ordinal).Chunk(500))
        {
            known.UnionWith(await connection.QueryAsync<string>(database.Command(_sql.SelectKnownLines, new { LineIds = chunk }, transaction, cancellationToken)));
        }

        var problems = records.Where(r => !known.Contains(r.LineId))
            .Select(r => $"{r.Source}: usage {r.Id} names order product {r.LineId}, which the connector has not read (not activated yet, or not in the org); sync first, or correct the id")
            .ToList();
        var stored = await orders.SaveUsageAsync([.. records.Select(r => new IncomingUsage(r, source, null))], transaction, DbText.Instant(timeProvider.GetUtcNow()), cancellationToken);
        problems.AddRange(stored.Refused.Select(r => $"{r.Usage.Record.Source}: {r.Reason}"));
        if (problems.Count > 0 || dryRun)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new UsageImportResult(records.Count, problems.Count > 0 ? 0 : stored.Stored, stored.Known, problems);
        }

        await transaction.CommitAsync(cancellationToken);
        return new UsageImportResult(records.Count, stored.Stored, stored.Known, problems);
    }
}

/// <summary>What an import read, stored (or would store, in a dry run), found stored already, and the problems that refused it.</summary>
internal sealed record UsageImportResult(int Read, int Stored, int AlreadyStored, IReadOnlyList<string> Problems);

/// <summary>What a save of usage records did: records stored, records known with the same content (skipped), records refused.</summary>
internal sealed record UsageSaveResult(int Stored, int Known, IReadOnlyList<(IncomingUsage Usage, string Reason)> Refused);
