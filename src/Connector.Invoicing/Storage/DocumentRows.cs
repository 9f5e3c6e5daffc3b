using System.Data.Common;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Terms;

using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>The child rows of the documents one save posts, written table by table as multi-row inserts (<see cref="MultiRowInsert"/>).</summary>
internal sealed class DocumentRows
{
    private readonly List<object> _lines = [];
    private readonly List<object> _taxes = [];
    private readonly List<object> _withholdings = [];
    private readonly List<object> _installments = [];

    public void Add(long ownerId, IReadOnlyList<InvoiceLine> lines, IReadOnlyList<TaxLine> taxes, IReadOnlyList<WithholdingLine> withholdings, IReadOnlyList<Installment> installments)
    {
        _lines.AddRange(lines.Select(line => (object)new
        {
            InvoiceId = ownerId, line.LineNumber, line.OrderId, line.OrderLineId, line.Description, PeriodStart = DbText.Date(line.Period.Start),
            PeriodEnd = DbText.Date(line.Period.End), Quantity = DbText.Decimal(line.Quantity), UnitPrice = DbText.Decimal(line.UnitPrice),
            ProrationFactor = DbText.Decimal(line.ProrationFactor), NetMinor = line.Net.MinorUnits, TaxRatePercent = DbText.Decimal(line.TaxRatePercent),
            line.TaxExemptReason, WithholdingPercent = DbText.Decimal(line.WithholdingPercent), line.Revises, line.CorrectedLine, line.Explanation,
            UsageDetail = UsageDetailJson.Serialize(line.Usage),
        }));
        _taxes.AddRange(taxes.Select((tax, i) => (object)new
        {
            InvoiceId = ownerId, GroupNumber = i + 1, TaxRatePercent = DbText.Decimal(tax.RatePercent), tax.ExemptReason,
            BaseMinor = tax.Base.MinorUnits, TaxMinor = tax.Tax.MinorUnits,
        }));
        _withholdings.AddRange(withholdings.Select(w => (object)new
        {
            OwnerId = ownerId, RatePercent = DbText.Decimal(w.RatePercent), BaseMinor = w.Base.MinorUnits, WithheldMinor = w.Withheld.MinorUnits,
        }));
        _installments.AddRange(installments.Select(i => (object)new
        {
            InvoiceId = ownerId, i.Number, DueDate = DbText.Date(i.DueDate), AmountMinor = i.Amount.MinorUnits,
        }));
    }

    public async Task SaveAsync(DbConnection connection, DbTransaction transaction, string lineSql, string taxSql, string withholdingSql, string? installmentSql,
        StorageProvider provider, CancellationToken cancellationToken)
    {
        foreach (var (sql, rows) in new[] { (lineSql, _lines), (taxSql, _taxes), (withholdingSql, _withholdings), (installmentSql, _installments) })
        {
            if (sql is not null && rows.Count > 0)
            {
                await MultiRowInsert.ExecuteAsync(connection, transaction, provider, sql, rows, cancellationToken);
            }
        }
    }
}
