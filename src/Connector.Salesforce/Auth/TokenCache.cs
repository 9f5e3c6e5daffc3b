namespace Connector.Salesforce.Auth;

/// <summary>
/// Holds the current token; fetches one when there is none, and drops it when the org says it is invalid so the
/// next call fetches a new one. Concurrent callers share one fetch.
/// </summary>
internal sealed class TokenCache : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ITokenSource _source;
    private SalesforceToken? _current;

    internal TokenCache(ITokenSource source) => _source = source;

    /// <summary>Number of tokens fetched so far (for status and tests).</summary>
    public int TokensFetched { get; private set; }

    /// <summary>Whether the last token request succeeded (for readiness); null before the first request.</summary>
    public bool? LastFetchSucceeded { get; private set; }

    /// <summary>Why the last token request failed (one line, never a secret), or null.</summary>
    public string? LastFailure { get; private set; }

    public async Task<SalesforceToken> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } raced)
            {
                return raced;
            }

            try
            {
                _current = await _source.RequestAsync(cancellationToken);
                LastFetchSucceeded = true;
                LastFailure = null;
                TokensFetched++;
                return _current;
            }
            catch (Exception ex)
            {
                LastFetchSucceeded = false;
                LastFailure = ex is SalesforceAuthException or InvalidOperationException ? ex.Message : ex.GetType().Name;
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="rejected"/> if it is still the current token.</summary>
    public void Invalidate(SalesforceToken rejected) => Interlocked.CompareExchange(ref _current, null, rejected);

    public void Dispose() => _gate.Dispose();
}
