namespace Connector.Storage;

/// <summary>The configured database could not be reached or refused the connection; the message (one line) names the engine and where it was looked for, never the credentials.</summary>
internal sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal DatabaseUnavailableException(StorageProvider provider, string target, Exception cause)
        : base($"Cannot connect to the {provider} database at {target}: {OneLine(cause.Message)}", cause)
    {
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
