namespace Connector.Mapping.Transform;

/// <summary>A mapped value, or the reason the record could not be mapped (field, value and rule), for quarantine.</summary>
internal sealed record MapResult<T>(T? Value, string? Problem)
    where T : class
{
    public bool IsSuccess => Problem is null;

    public static MapResult<T> Ok(T value) => new(value, null);

    public static MapResult<T> Fail(string problem) => new(null, problem);
}
