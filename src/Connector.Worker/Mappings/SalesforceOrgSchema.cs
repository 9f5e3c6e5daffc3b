using Connector.Mapping.Validation;
using Connector.Salesforce;

namespace Connector.Worker.Mappings;

/// <summary>The org's metadata for mapping validation, from describe (cached, refreshed with If-Modified-Since).</summary>
internal sealed class SalesforceOrgSchema(SalesforceClient salesforce) : IOrgSchema
{
    public async Task<OrgObject?> DescribeAsync(string objectName, CancellationToken cancellationToken)
    {
        var describe = await salesforce.DescribeAsync(objectName, cancellationToken);
        return describe is null
            ? null
            : new OrgObject(describe.Name, describe.Fields.Select(f => new OrgField(
                f.Name, f.Type, f.Createable, f.Updateable, f.ExternalId, f.RestrictedPicklist, f.PicklistValues, f.ReferenceTo, f.RelationshipName)));
    }
}
