namespace Connector.Salesforce.Api;

/// <summary>
/// A file to store as a ContentVersion linked to <see cref="LinkedRecordId"/> (FirstPublishLocationId).
/// <see cref="ContentKey"/> is stored in <see cref="ContentKeyField"/> so a retry can find an upload that already landed.
/// </summary>
public sealed record FileUpload(string FileName, string Title, byte[] Content, string LinkedRecordId, string ContentKeyField, string ContentKey);
