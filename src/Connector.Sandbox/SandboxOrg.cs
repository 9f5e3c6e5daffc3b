using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Connector.Sandbox.Data;
using Connector.Sandbox.Http;
using Connector.Sandbox.Soql;

namespace Connector.Sandbox;

/// <summary>
/// A fake Salesforce org that behaves like the real one for the calls the connector makes (see
/// shared/salesforce-facts.md): the OAuth token endpoint (JWT bearer verified against the app's key, client
/// credentials), SOQL query with queryMore pagination, sObject Collections upsert and update with per-record results,
/// ContentVersion multipart upload, and the Sforce-Limit-Info header. Thread-safe.
/// </summary>
internal sealed partial class SandboxOrg
{
    /// <summary>The org's daily API allocation (Sforce-Limit-Info's max). Default 15,000.</summary>
    public long DailyApiAllocation { get; set; } = 15_000;

    private long UsedToday => _apiCalls + Faults.ApiCallsUsedElsewhere;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<List<JsonObject>>> _cursors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IReadOnlyList<string> Fields, List<JsonObject> Rows)> _queryJobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _collectionsRequests = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _issued = [];
    private readonly Dictionary<string, byte[]> _fileContents = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private long _apiCalls;
    private int _cursorSeed;
    private int _documentSeed;

    public SandboxOrg(SandboxCredentials credentials, TimeProvider timeProvider, SandboxSchema? schema = null)
    {
        Credentials = credentials;
        _timeProvider = timeProvider;
        Data = new SandboxData(schema ?? SandboxSchema.CpqWithoutBilling(), timeProvider);
        ChangeEvents = new PubSub.SandboxPubSub(Data.Schema, timeProvider);
        Data.Changed = ChangeEvents.Publish;
    }

    /// <summary>The org's 18-character id (the token's identity URL, the Pub/Sub API's tenant id).</summary>
    public const string OrgId = "00DSB0000000001AAA";

    /// <summary>Change Data Capture: every record change, served over the Pub/Sub API.</summary>
    public PubSub.SandboxPubSub ChangeEvents { get; }

    /// <summary>
    /// Reads or changes the org's records while no API call runs (as a user in the org's UI would, between calls):
    /// for code that touches <see cref="Data"/> while the server is serving.
    /// </summary>
    public T Locked<T>(Func<SandboxData, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        lock (_gate)
        {
            return work(Data);
        }
    }

    /// <summary>Whether <paramref name="accessToken"/> is a live session (the Pub/Sub API's auth check).</summary>
    internal bool IsSession(string accessToken)
    {
        lock (_gate)
        {
            return _sessions.Contains(accessToken);
        }
    }

    public SandboxCredentials Credentials { get; }

    public SandboxData Data { get; }

    public SandboxFaults Faults { get; } = new();

    /// <summary>Records per query batch; Salesforce uses up to 2,000, tests use a few to exercise queryMore.</summary>
    public int QueryPageSize { get; set; } = 2000;

    /// <summary>The URL the server hosting this org listens on; the token response's instance_url.</summary>
    public Uri InstanceUrl { get; set; } = new("http://127.0.0.1/");

    /// <summary>The JWT audience the token endpoint accepts. Default: the instance URL without a trailing slash.</summary>
    public string? Audience { get; set; }

    /// <summary>Data API calls answered so far (what counts against the daily allocation).</summary>
    public long ApiCalls => Interlocked.Read(ref _apiCalls);

    /// <summary>Objects whose getDeleted the org refuses (not replicateable).</summary>
    public HashSet<string> NotReplicable { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>sObject Collections requests received per object (direct or as Composite subrequests).</summary>
    public IReadOnlyDictionary<string, int> CollectionsRequests
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_collectionsRequests, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    private void CountCollectionsRequest(string objectName) =>
        _collectionsRequests[objectName] = _collectionsRequests.GetValueOrDefault(objectName) + 1;

    /// <summary>Bulk API 2.0 query jobs created so far.</summary>
    public int QueryJobsCreated { get; private set; }

    /// <summary>Access tokens issued so far.</summary>
    public int TokensIssued => _issued.Count;

    /// <summary>Every access token issued (tests check they never leak into logs or output).</summary>
    public IReadOnlyList<string> IssuedTokens
    {
        get
        {
            lock (_gate)
            {
                return [.. _issued];
            }
        }
    }

    /// <summary>The bytes of an uploaded ContentVersion.</summary>
    public byte[]? FileContent(string contentVersionId)
    {
        lock (_gate)
        {
            return _fileContents.GetValueOrDefault(contentVersionId);
        }
    }

    /// <summary>
    /// A data API call: the session must be valid, the daily allocation not spent; the call is counted, may meet an
    /// injected fault, and otherwise reaches <paramref name="resource"/>. The answer carries Sforce-Limit-Info.
    /// </summary>
    /// <param name="authorization">The Authorization header.</param>
    /// <param name="resource">What the call does once admitted.</param>
    /// <param name="origin">The changeOrigin of the changes the call makes (the API, its version, and the client its Sforce-Call-Options names).</param>
    internal SandboxResponse DataCall(string? authorization, Func<SandboxResponse> resource, string origin = "")
    {
        lock (_gate)
        {
            if (Faults.TakeSessionExpiry())
            {
                _sessions.Clear();
            }

            if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !_sessions.Contains(authorization[7..]))
            {
                return WithLimitInfo(SandboxResponse.Error(401, "INVALID_SESSION_ID", "Session expired or invalid"));
            }

            if (UsedToday >= DailyApiAllocation)
            {
                return WithLimitInfo(SandboxResponse.Error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
            }

            _apiCalls++;
            if (Faults.TakeUnavailable())
            {
                return WithLimitInfo(SandboxResponse.Error(503, "SERVER_UNAVAILABLE", "Server is temporarily unavailable; try again."));
            }

            Data.Origin = origin;
            try
            {
                return WithLimitInfo(Guarded(resource));
            }
            finally
            {
                Data.Origin = "";
            }
        }
    }

    /// <summary>The OAuth token endpoint (no session, not counted against the allocation).</summary>
    internal SandboxResponse TokenCall(IReadOnlyDictionary<string, string> form)
    {
        lock (_gate)
        {
            return Token(form);
        }
    }

    /// <summary>Malformed SOQL and JSON are the caller's fault: 400 with the error code Salesforce gives.</summary>
    private static SandboxResponse Guarded(Func<SandboxResponse> resource)
    {
        try
        {
            return resource();
        }
        catch (SoqlException ex)
        {
            return SandboxResponse.Error(400, ex.ErrorCode, ex.Message);
        }
        catch (JsonException ex)
        {
            return SandboxResponse.Error(400, "JSON_PARSER_ERROR", ex.Message);
        }
        catch (FormatException ex)
        {
            return SandboxResponse.Error(400, "MALFORMED_REQUEST", ex.Message);
        }
    }

    internal SandboxResponse Limits() => SandboxResponse.Json(200, new JsonObject
    {
        ["DailyApiRequests"] = new JsonObject { ["Max"] = DailyApiAllocation, ["Remaining"] = Math.Max(0, DailyApiAllocation - UsedToday) },
    });

    private SandboxResponse WithLimitInfo(SandboxResponse response) => response with
    {
        Headers = new Dictionary<string, string>(response.Headers)
        {
            ["Sforce-Limit-Info"] = string.Create(CultureInfo.InvariantCulture, $"api-usage={UsedToday}/{DailyApiAllocation}"),
        },
    };
}
