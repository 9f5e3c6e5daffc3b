using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Storage;

/// <summary>
/// The lines, taxes and withholdings of a loaded book's posted invoices, read when first asked for. A book holds every
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

    /// <summary>The invoice with its parts deferred and its stored totals, and its only order when the header stored one.</summary>
    public Invoice Defer(Invoice header, long netMinor, long taxMinor, long withheldMinor, string? soleOrderId = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var id = header.Id;
        lock (_lock)
        {
            _deferred.Add(id);
            if (soleOrderId is not null)
            {
                _ordersStored.Add(id);
            }
        }

        var deferred = header with
        {
            Lines = new DeferredList<InvoiceLine>(() => Whole(id).Lines),
            Taxes = new DeferredList<TaxLine>(() => Whole(id).Taxes),
            Withholdings = new DeferredList<WithholdingLine>(() => Whole(id).Withholdings),
            Totals = new PostedTotals(Amount.FromMinorUnits(netMinor, header.Currency), Amount.FromMinorUnits(taxMinor, header.Currency),
                Amount.FromMinorUnits(withheldMinor, header.Currency)),
        };
        return soleOrderId is null ? deferred : deferred with { OrderIds = [soleOrderId] };
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
