namespace Connector.Salesforce;

/// <summary>How to reach and authenticate to the org. Bound from <c>Connector:Salesforce</c>; validated at start.</summary>
internal sealed class SalesforceOptions
{
    public const string SectionName = "Connector:Salesforce";

    /// <summary>Token host: <c>https://login.salesforce.com</c> (default), <c>https://test.salesforce.com</c> or a My Domain URL.</summary>
    public string LoginUrl { get; set; } = "https://login.salesforce.com";

    /// <summary><c>JwtBearer</c> (default) or <c>ClientCredentials</c> (My Domain only).</summary>
    public SalesforceAuthFlow AuthFlow { get; set; } = SalesforceAuthFlow.JwtBearer;

    /// <summary>The connected (external client) app's consumer key; the JWT's <c>iss</c>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The integration user; the JWT's <c>sub</c>.</summary>
    public string Username { get; set; } = "";

    /// <summary>PEM file holding the RSA private key that signs the JWT. Its content never reaches logs.</summary>
    public string PrivateKeyPath { get; set; } = "";

    /// <summary>Client secret for <c>ClientCredentials</c>. Never logged.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The JWT's <c>aud</c>; default: the login URL.</summary>
    public string? Audience { get; set; }

    /// <summary>REST API version, e.g. <c>62.0</c> (default). Collections upsert needs 46.0 or later.</summary>
    public string ApiVersion { get; set; } = "62.0";

    /// <summary>Lets an <c>http://</c> URL be used when it points at loopback (tests, the sandbox org). Default false.</summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>
    /// Share of the org's daily API allocation (0.05 to 1) above which the connector starts no new org work: ingest and
    /// write-back pause (billing goes on; the outbox keeps what is to be written) until usage falls. Default 0.5.
    /// </summary>
    public double ApiBudgetShare { get; set; } = 0.5;

    /// <summary>After REQUEST_LIMIT_EXCEEDED, how long before the org is asked again. Default 1 h.</summary>
    public TimeSpan ApiLimitCooldown { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Files uploaded per call (1 to 200, sObject Collections' limit; each call counts once against the allocation).
    /// Default 200. A call also stays under <see cref="MaxFileCallBytes"/> of base64 content.
    /// </summary>
    public int FilesPerCall { get; set; } = 200;

    /// <summary>Most base64 bytes of file content in one call (a larger file goes alone, as multipart). Default 24 MB.</summary>
    public int MaxFileCallBytes { get; set; } = 24 * 1024 * 1024;

    /// <summary>Retries of a failed idempotent call (503, network error). Default 4.</summary>
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>
    /// A first backfill of a source larger than this many records is read with a Bulk API 2.0 query job (a few calls)
    /// instead of REST query pages (one call per 2,000 records). 0 always uses REST. Default 50,000.
    /// </summary>
    public int BulkQueryThreshold { get; set; } = 50_000;

    /// <summary>
    /// Writing more than this many records of one object in one pass goes through a Bulk API 2.0 ingest job (a constant
    /// number of calls: create, upload, close, poll, three result reads) instead of sObject Collections (one call per
    /// 200 records). 0 never uses Bulk API. Default 10,000.
    /// </summary>
    public int BulkWriteThreshold { get; set; } = 10_000;

    /// <summary>
    /// Collections calls (each up to 200 records) sent together in one Composite call, which counts once against the
    /// allocation (1 to 5; the Composite resource takes at most 5 collections subrequests). 1 sends each alone. Default 5.
    /// </summary>
    public int CollectionsPerCompositeCall { get; set; } = 5;

    /// <summary>How often a Bulk API 2.0 job is asked whether it is complete. Default 2 s.</summary>
    public TimeSpan BulkPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Longest wait for a Bulk API 2.0 job to finish. A query job still running then is an error (the backfill is tried
    /// again next cycle); an ingest job is aborted and its unprocessed records come back to be queued again. Default 30 min.
    /// </summary>
    public TimeSpan BulkJobTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Records per Bulk API 2.0 results page (maxRecords), one call each. A page is read whole before its records are
    /// stored (2,000 to a transaction), so its size bounds the connector's memory: 10,000 rows are a few MB of CSV, and a
    /// million records cost 100 calls. Default 10,000.
    /// </summary>
    public int BulkPageSize { get; set; } = 10_000;

    /// <summary>
    /// How long calls fail fast once half of at least 10 calls in 30 s failed with 502/503/504 or a network error (the
    /// circuit breaker); the next call after it probes the org. Default 1 minute.
    /// </summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>First retry delay; later ones back off exponentially with jitter. Default 1 s.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time one attempt may take. Default 60 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The client id every call carries in <c>Sforce-Call-Options: client=…</c>. The org copies it into the
    /// <c>changeOrigin</c> of the change events the call causes, so the change-event stream can skip the connector's own
    /// writes. Letters, digits, '_' and '-' (at most 40). Default <c>invoicing-connector</c>.
    /// </summary>
    public string CallOptionsClient { get; set; } = "invoicing-connector";

    /// <summary>
    /// The Pub/Sub API (gRPC over HTTP/2) that change events come from. Default <c>https://api.pubsub.salesforce.com:7443</c>.
    /// </summary>
    public string PubSubEndpoint { get; set; } = "https://api.pubsub.salesforce.com:7443";

    /// <summary>Time a call may take across its retries. Default 5 min.</summary>
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
