namespace Connector.Mapping.Profile;

/// <summary>How invoice PDFs are attached: the ContentVersion field that stores our content key (for idempotent uploads).</summary>
public sealed class FileTarget
{
    public string ContentKeyField { get; set; } = "Connector_Content_Key__c";
}
