namespace Connector.Mapping.Validation;

/// <summary>The org's metadata as the integration user sees it (describe). Null: no such object, or not visible.</summary>
internal interface IOrgSchema
{
    Task<OrgObject?> DescribeAsync(string objectName, CancellationToken cancellationToken);
}
