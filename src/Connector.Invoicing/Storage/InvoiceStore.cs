using System.Data.Common;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Orders;
using Connector.Storage;
using Dapper;

namespace Connector.Invoicing.Storage;

/// <summary>Reads billable orders and posted invoices; posting goes through <see cref="BookStore"/>.</summary>
internal sealed class InvoiceStore(ConnectorDatabase database)
{
    private readonly DocumentSql _documents = DocumentSql.For(database.Provider);
    private readonly BookSql _book = BookSql.For(database.Provider);

    private const int InListChunk = 500;

    public async Task<IReadOnlyList<BillableOrder>> LoadBillableOrdersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<BillableLineRow>(database.Command(_documents.SelectBillableLines, null, cancellationToken));
        return BillableLineRow.ToOrders(rows, []);
    }

    public async Task<IReadOnlyList<Invoice>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var invoices = (await connection.QueryAsync<InvoiceRow>(database.Command(_documents.SelectInvoices, null, cancellationToken))).ToList();
        return await WithLinesAsync(connection, invoices, cancellationToken);
    }

    public async Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken)
    {
        long? id;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(_book.SelectInvoiceIdByNumber, new { Number = number }, commandTimeout: database.CommandTimeoutSeconds, cancellationToken: cancellationToken));
        }

        return id is { } found ? await GetAsync(found, cancellationToken) : null;
    }

    public async Task<Invoice?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var invoices = (await connection.QueryAsync<InvoiceRow>(database.Command(_documents.SelectInvoiceById, new { Id = id }, cancellationToken))).ToList();
        return (await WithLinesAsync(connection, invoices, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// A posted credit note with the parties it prints: those of the invoice it corrects, or for an account credit note
    /// the account as stored and the seller <paramref name="sellerOf"/> gives for its number (the issuing entity's).
    /// </summary>
    public async Task<Documents.PrintedDocument?> GetCreditNoteAsync(long id, Func<string, Party> sellerOf, string defaultLanguage, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CreditNoteRow>(database.Command(_documents.SelectCreditNoteById, new { Id = id }, cancellationToken));
        if (row is null)
        {
            return null;
        }

        var ids = new { Ids = new[] { id } };
        var note = row.ToDomain(
            await connection.QueryAsync<InvoiceLineRow>(database.Command(_book.SelectCreditNoteLines, ids, cancellationToken)),
            await connection.QueryAsync<InvoiceTaxRow>(database.Command(_book.SelectCreditNoteTaxes, ids, cancellationToken)),
            await connection.QueryAsync<WithholdingRow>(database.Command(_book.SelectCreditNoteWithholdings, ids, cancellationToken)));
        if (note.CorrectsNumber is { } corrected && await FindByNumberAsync(corrected, cancellationToken) is { } invoice)
        {
            return Documents.PrintedDocument.Of(note, invoice.Seller, invoice.Buyer);
        }

        var account = await connection.QuerySingleOrDefaultAsync<AccountRow>(database.Command(_documents.SelectAccountById, new { note.AccountId }, cancellationToken));
        var buyer = account is null
            ? new Party(note.AccountId, Language: defaultLanguage)
            : new Billing.BookAccount { Id = note.AccountId, Name = account.Name, Street = account.Street, City = account.City, PostalCode = account.PostalCode,
                Country = account.Country, TaxId = account.TaxId, Language = account.Language,
                EndpointId = account.EndpointId, EndpointScheme = account.EndpointScheme, BuyerReference = account.BuyerReference }.AsParty(defaultLanguage);
        return Documents.PrintedDocument.Of(note, sellerOf(note.Number), buyer);
    }

    private async Task<IReadOnlyList<Invoice>> WithLinesAsync(DbConnection connection, List<InvoiceRow> invoices, CancellationToken cancellationToken)
    {
        var lines = new List<InvoiceLineRow>();
        var taxes = new List<InvoiceTaxRow>();
        var withholdings = new List<WithholdingRow>();
        var installments = new List<InstallmentRow>();
        foreach (var chunk in invoices.Select(i => i.Id).Chunk(InListChunk))
        {
            lines.AddRange(await connection.QueryAsync<InvoiceLineRow>(database.Command(_book.SelectInvoiceLines, new { InvoiceIds = chunk }, cancellationToken)));
            taxes.AddRange(await connection.QueryAsync<InvoiceTaxRow>(database.Command(_book.SelectInvoiceTaxes, new { InvoiceIds = chunk }, cancellationToken)));
            withholdings.AddRange(await connection.QueryAsync<WithholdingRow>(database.Command(_book.SelectInvoiceWithholdings, new { Ids = chunk }, cancellationToken)));
            installments.AddRange(await connection.QueryAsync<InstallmentRow>(database.Command(_book.SelectInvoiceInstallments, new { Ids = chunk }, cancellationToken)));
        }

        var linesByInvoice = lines.ToLookup(l => l.InvoiceId);
        var taxesByInvoice = taxes.ToLookup(t => t.InvoiceId);
        var withholdingsByInvoice = withholdings.ToLookup(w => w.OwnerId);
        var installmentsByInvoice = installments.ToLookup(i => i.InvoiceId);
        return [.. invoices.Select(i => i.ToDomain(linesByInvoice[i.Id], taxesByInvoice[i.Id], withholdingsByInvoice[i.Id], installmentsByInvoice[i.Id]))];
    }

    /// <summary>How many invoices are posted, and the last one's number and issue date.</summary>
    public async Task<InvoiceStats> StatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(long Count, string? LastNumber, string? LastIssueDate)>(database.Command(_documents.SelectInvoiceStats, null, cancellationToken));
        return new InvoiceStats(checked((int)row.Count), row.LastNumber, DbText.ParseNullableDate(row.LastIssueDate));
    }

    private sealed class AccountRow
    {
        public string AccountId { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Street { get; init; }
        public string? City { get; init; }
        public string? PostalCode { get; init; }
        public string? Country { get; init; }
        public string? TaxId { get; init; }
        public string? Language { get; init; }
        public string? EndpointId { get; init; }
        public string? EndpointScheme { get; init; }
        public string? BuyerReference { get; init; }
    }
}
