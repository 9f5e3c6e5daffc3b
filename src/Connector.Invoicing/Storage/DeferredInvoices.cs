using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Storage;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The lines, taxes, withholdings and parties of a loaded book's posted invoices, read when first asked for. A book holds every
/// posted invoice of its accounts for their balances, but needs an old invoice's lines only to credit it or to tell its
/// figures again; posted rows never change, so reading them late reads what was posted. The invoices a caller says it
/// will need (<see cref="Expect"/>) are read together with the first one asked for, in one query per 500.
/// </summary>
internal sealed class DeferredInvoices(Func<IReadOnlyList<long>, IReadOnlyDictionary<long, Invoice>> read)
{
    private readonly Dictionary<long, Invoice> _whole = [];
    private readonly HashSet<long> _deferred = [];
    private readonly HashSet<long> _expected = [];
    private readonly HashSet<long> _ordersStored = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// The invoice of a stored header, as a book loads it: its totals as stored, its lines, taxes, withholdings and
    /// parties read when first asked for, and its orders known without them when the header kept its only order.
    /// </summary>
    public Invoice Defer(InvoiceRow row, IEnumerable<InstallmentRow> installments)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(installments);
        lock (_lock)
        {
            _deferred.Add(row.Id);
            if (row.OrderId is not null)
            {
                _ordersStored.Add(row.Id);
            }
        }

        // One object per invoice reads its parts for all four (no closure each): a book holds every posted invoice.
        var parts = new Parts(this, row.Id);
        var currency = Currency.Of(row.Currency);
        return new Invoice(parts.Parties, row.Number, row.AccountId, currency, DbText.ParseDate(row.IssueDate), DbText.ParseDate(row.DueDate))
        {
            Id = row.Id,
            Installments = [.. installments.OrderBy(i => i.Number).Select(i => i.ToDomain(currency))],
            Batch = row.Batch,
            Lines = new DeferredList<InvoiceLine>(parts, static whole => whole.Lines),
            Taxes = new DeferredList<TaxLine>(parts, static whole => whole.Taxes),
            Withholdings = new DeferredList<WithholdingLine>(parts, static whole => whole.Withholdings),
            Totals = new PostedTotals(Amount.FromMinorUnits(row.NetMinor, currency), Amount.FromMinorUnits(row.TaxMinor, currency), Amount.FromMinorUnits(row.WithheldMinor, currency)),
            OrderIds = row.OrderId is { } only ? [only] : null,
        };
    }

    /// <summary>These invoices' parts will be asked for: read them with the next that is.</summary>
    public void Expect(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            _expected.UnionWith(ids.Where(id => _deferred.Contains(id) && !_whole.ContainsKey(id)));
        }
    }

    /// <summary>These invoices' orders will be asked for: read the parts of those whose header did not store them with the next that is.</summary>
    public void ExpectOrders(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            _expected.UnionWith(ids.Where(id => _deferred.Contains(id) && !_ordersStored.Contains(id) && !_whole.ContainsKey(id)));
        }
    }

    /// <summary>
    /// Reads the expected invoices' parts now. A save calls it before its transaction opens: the read uses a connection
    /// of its own, which on SQL Server (locking READ COMMITTED) could wait forever on the rows the save's transaction
    /// holds, an escalated table lock say.
    /// </summary>
    public void ReadExpected()
    {
        lock (_lock)
        {
            ReadExpectedLocked();
        }
    }

    /// <summary>One deferred invoice's parts, read (with the expected others) when any is first asked for.</summary>
    internal sealed class Parts(DeferredInvoices owner, long id)
    {
        private Invoice? _whole;

        /// <summary>The invoice read whole (posted rows never change, so a second read would read the same).</summary>
        public Invoice Whole => _whole ??= owner.Whole(id);

        public (Party Seller, Party Buyer) Parties() => (Whole.Seller, Whole.Buyer);
    }

    private Invoice Whole(long id)
    {
        lock (_lock)
        {
            if (!_whole.TryGetValue(id, out var whole))
            {
                _expected.Add(id);
                ReadExpectedLocked();
                whole = _whole[id];
            }

            return whole;
        }
    }

    private void ReadExpectedLocked()
    {
        if (_expected.Count == 0)
        {
            return;
        }

        foreach (var (readId, invoice) in read([.. _expected]))
        {
            _whole[readId] = invoice;
        }

        _expected.Clear();
    }
}
