using System.Collections;

namespace Connector.Invoicing.Storage;

/// <summary>
/// A list read the first time anything asks for it. A book holds every posted invoice of its accounts for balances, but
/// needs an old invoice's lines only to credit it; posted rows never change, so reading them late reads what was posted.
/// </summary>
internal sealed class DeferredList<T>(Func<IReadOnlyList<T>> read) : IReadOnlyList<T>
{
    private readonly Lazy<IReadOnlyList<T>> _items = new(read, LazyThreadSafetyMode.ExecutionAndPublication);

    public int Count => _items.Value.Count;

    public T this[int index] => _items.Value[index];

    public IEnumerator<T> GetEnumerator() => _items.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
