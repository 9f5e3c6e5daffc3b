namespace Connector.Invoicing.Storage;

/// <summary>Another writer changed what a book was loaded from; nothing was saved. Load again and retry.</summary>
internal sealed class BookConflictException(string message, Exception? inner = null) : Exception(message, inner);
