using System.Data.Common;
using Connector.Invoicing.Billing;
using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.VeriFactu;

/// <summary>
/// The VERI*FACTU registration records of the legal entities that have it on: one RegistroAlta per posted invoice and
/// credit note, appended to its issuer's chain in the posting's own transaction (a document and its record commit
/// together or not at all). Two writers appending to one chain at once collide on (issuer, sequence); the posting's
/// conflict retry then loads and appends again.
/// </summary>
internal sealed class VeriFactuLedger(ConnectorDatabase database, TimeProvider timeProvider, VeriFactuOptions options)
{
    private readonly VeriFactuSql _sql = VeriFactuSql.For(database.Provider);

    /// <summary>Registers the documents a posting adds (each with its seller and buyer as printed), in posting order, for the entities with VERI*FACTU on.</summary>
    public async Task AppendAsync(DbConnection connection, DbTransaction transaction, BookSettings settings, IEnumerable<(PostedDocument Document, Party Seller, Party Buyer)> documents,
        CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var heads = new Dictionary<string, (long Sequence, ChainLink Link)?>(StringComparer.Ordinal);
        foreach (var (document, seller, buyer) in documents)
        {
            var entity = settings.EntityOf(document.Number);
            if (!entity.VeriFactu || Nif.Of(seller.TaxId) is not { } nif)
            {
                continue;
            }

            if (!heads.TryGetValue(nif, out var head))
            {
                var last = await connection.QuerySingleOrDefaultAsync<RecordRow>(database.Command(_sql.SelectLast, new { IssuerNif = nif }, transaction, cancellationToken));
                head = last is null ? null : (last.Sequence, last.ToLink());
            }

            var record = RegistroWriter.AltaOf(document, seller, buyer, head?.Link, now, SistemaInformatico.From(options, seller.Name, nif));
            var sequence = (head?.Sequence ?? 0) + 1;
            await connection.ExecuteAsync(database.Command(_sql.InsertRecord, new
            {
                IssuerNif = nif, Sequence = sequence, record.Kind, record.Number, IssuedOn = DbText.Date(document.IssueDate), record.Huella, record.Xml,
                Status = RecordStatus.Pending, CreatedAt = DbText.Instant(now),
            }, transaction, cancellationToken));
            heads[nif] = (sequence, record.Link);
        }
    }

    /// <summary>Whether the document was registered (a RegistroAlta in its issuer's chain): only then may it print AEAT's QR code.</summary>
    public async Task<bool> IsRegisteredAsync(string issuerNif, string number, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(database.Command(_sql.CountAltas, new { IssuerNif = issuerNif, Number = number }, cancellationToken)) > 0;
    }

    /// <summary>Every issuer that has records.</summary>
    public async Task<IReadOnlyList<string>> IssuersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<string>(database.Command(_sql.SelectIssuers, null, cancellationToken))];
    }

    /// <summary>An issuer's chain, first record first.</summary>
    public async Task<IReadOnlyList<StoredRecord>> ChainAsync(string issuerNif, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>(database.Command(_sql.SelectChain, new { IssuerNif = issuerNif }, cancellationToken));
        return [.. rows.Select(r => r.ToStored())];
    }

    /// <summary>The records of documents issued from <paramref name="from"/> to <paramref name="to"/>, by issuer and sequence.</summary>
    public async Task<IReadOnlyList<StoredRecord>> IssuedBetweenAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RecordRow>(database.Command(_sql.SelectIssuedBetween, new { From = DbText.Date(from), To = DbText.Date(to) }, cancellationToken));
        return [.. rows.Select(r => r.ToStored())];
    }

    /// <summary>The records waiting to be sent to AEAT, by issuer and sequence.</summary>
    public async Task<IReadOnlyList<StoredRecord>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await connection.QueryAsync<RecordRow>(database.Command(_sql.SelectPending, null, cancellationToken))).Select(r => r.ToStored())];
    }

    /// <summary>Keeps AEAT's answer for each record sent (its status and what AEAT said); the record itself never changes.</summary>
    public async Task MarkAsync(IReadOnlyList<(long Id, string Status, string? Answer)> answers, CancellationToken cancellationToken)
    {
        var sentAt = DbText.Instant(timeProvider.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (id, status, answer) in answers)
        {
            await connection.ExecuteAsync(database.Command(_sql.UpdateStatus, new { Id = id, Status = status, Answer = answer, SentAt = sentAt }, transaction, cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed class RecordRow
    {
        public long Id { get; init; }
        public string IssuerNif { get; init; } = "";
        public long Sequence { get; init; }
        public string Kind { get; init; } = "";
        public string Number { get; init; } = "";
        public string IssuedOn { get; init; } = "";
        public string Huella { get; init; } = "";
        public string Xml { get; init; } = "";
        public string Status { get; init; } = "";
        public string? Answer { get; init; }

        public ChainLink ToLink() => new(IssuerNif, Number, RegistroWriter.Date(DbText.ParseDate(IssuedOn)), Huella);

        public StoredRecord ToStored() => new(Id, IssuerNif, Sequence, Kind, Number, DbText.ParseDate(IssuedOn), Huella, Xml, Status, Answer);
    }
}

/// <summary>A registration record as stored, with its place in its issuer's chain and its submission status.</summary>
internal sealed record StoredRecord(long Id, string IssuerNif, long Sequence, string Kind, string Number, DateOnly IssuedOn, string Huella, string Xml, string Status, string? Answer);

/// <summary>Where a record stands with AEAT.</summary>
internal static class RecordStatus
{
    /// <summary>Not sent yet (or sending is off: Connector:VeriFactu:Sender); kept, chained and exportable regardless.</summary>
    public const string Pending = "Pending";

    public const string Accepted = "Accepted";

    /// <summary>AEAT registered it but reported errors (Aceptado con errores): to be corrected by a later record.</summary>
    public const string AcceptedWithErrors = "AcceptedWithErrors";

    public const string Rejected = "Rejected";
}
