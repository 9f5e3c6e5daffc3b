using System.Collections;
using Connector.Invoicing.Invoices;

namespace Connector.Invoicing.Storage;

/// <summary>
/// A part of a posted invoice read the first time anything asks for it. A book holds every posted invoice of its
/// accounts for balances, but needs an old invoice's lines only to credit it; posted rows never change, so reading them
/// late reads what was posted.
/// </summary>
internal sealed class DeferredList<T>(DeferredInvoices.Parts parts, Func<Invoice, IReadOnlyList<T>> part) : IReadOnlyList<T>
{
    private IReadOnlyList<T>? _items;

    public int Count => Items.Count;

    /// <summary>The part of the invoice read whole (a race reads the same rows twice at worst: they never change).</summary>
    private IReadOnlyList<T> Items => _items ??= part(parts.Whole);

    public T this[int index] => Items[index];

    public IEnumerator<T> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
