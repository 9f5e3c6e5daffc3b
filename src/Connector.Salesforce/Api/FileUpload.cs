namespace Connector.Salesforce.Api;

/// <summary>
/// A file to store as a ContentVersion linked to <see cref="LinkedRecordId"/> (FirstPublishLocationId), or, when
/// <see cref="NewVersionOf"/> names a ContentDocument, as that file's new version (it keeps its links and history).
/// <see cref="ContentKey"/> is stored in <see cref="ContentKeyField"/> so a retry can find an upload that already landed.
/// </summary>
internal sealed record FileUpload(string FileName, string Title, byte[] Content, string LinkedRecordId, string ContentKeyField, string ContentKey, string? NewVersionOf = null)
{
    /// <summary>The ContentVersion's fields, without its content.</summary>
    internal System.Text.Json.Nodes.JsonObject Entity()
    {
        var entity = new System.Text.Json.Nodes.JsonObject { ["PathOnClient"] = FileName, [nameof(Title)] = Title, [ContentKeyField] = ContentKey };
        if (NewVersionOf is { } document)
        {
            entity["ContentDocumentId"] = document;
        }
        else
        {
            entity["FirstPublishLocationId"] = LinkedRecordId;
        }

        return entity;
    }
}

/// <summary>A file already in the org: its version and the document (file) the version belongs to.</summary>
internal sealed record UploadedFile(string ContentVersionId, string ContentDocumentId);
