using Grpc.Core;

namespace Connector.Salesforce.PubSub;

/// <summary>What a broken stream means for the subscriber.</summary>
internal enum PubSubFailure
{
    /// <summary>The network, the service or an idle stream: subscribe again from the stored replay id after a backoff.</summary>
    Transient,

    /// <summary>The token was refused: drop it, fetch another, subscribe again.</summary>
    Auth,

    /// <summary>The stored replay id is rejected (corrupted, or older than the 72 h retention): events may be lost; read again from the watermark.</summary>
    ReplayRejected,

    /// <summary>The org's daily event delivery allocation is spent: polling takes over until it recovers.</summary>
    LimitExceeded,

    /// <summary>A refusal that will not pass by itself (unknown topic, no permission, no licence).</summary>
    Refused,

    /// <summary>A payload or schema the connector cannot read.</summary>
    Malformed,
}

/// <summary>A Pub/Sub API call that failed, with the org's error code (the <c>error-code</c> trailer) and what it means.</summary>
internal sealed class PubSubException : Exception
{
    public PubSubException(PubSubFailure failure, string message, string? errorCode = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        ErrorCode = errorCode;
    }

    public PubSubFailure Failure { get; }

    /// <summary>The <c>error-code</c> trailer, e.g. <c>sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted</c>.</summary>
    public string? ErrorCode { get; }

    /// <summary>Classifies a failed call by its <c>error-code</c> trailer, then its gRPC status.</summary>
    public static PubSubException From(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception.Trailers.GetValue("error-code");
        var failure = code switch
        {
            not null when code.EndsWith(".replayid.corrupted", StringComparison.Ordinal)
                || code.EndsWith(".replayid.validation.failed", StringComparison.Ordinal) => PubSubFailure.ReplayRejected,
            not null when code.Contains(".auth.", StringComparison.Ordinal) => PubSubFailure.Auth,
            not null when code.EndsWith(".subscription.limit.exceeded", StringComparison.Ordinal) => PubSubFailure.LimitExceeded,
            not null when code.EndsWith(".topic.not.found", StringComparison.Ordinal) || code.EndsWith(".topic.notfound", StringComparison.Ordinal)
                || code.EndsWith(".cannot.subscribe", StringComparison.Ordinal) || code.EndsWith(".tenant.license", StringComparison.Ordinal) => PubSubFailure.Refused,
            _ => exception.StatusCode switch
            {
                StatusCode.Unauthenticated => PubSubFailure.Auth,
                StatusCode.PermissionDenied or StatusCode.NotFound or StatusCode.Unimplemented => PubSubFailure.Refused,
                _ => PubSubFailure.Transient,
            },
        };
        return new PubSubException(failure, $"{exception.StatusCode}: {exception.Status.Detail}", code, exception);
    }
}
