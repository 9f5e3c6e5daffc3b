using Connector.Mapping.Validation;
using Connector.Sandbox.Data;

namespace Connector.Mapping.Tests.Validation;

/// <summary>The sandbox org's metadata as an <see cref="IOrgSchema"/>, without HTTP (the end-to-end tests go through describe).</summary>
internal sealed class SandboxOrgSchema(SandboxSchema schema) : IOrgSchema
{
    public Task<OrgObject?> DescribeAsync(string objectName, CancellationToken cancellationToken) =>
        Task.FromResult(schema.Find(objectName) is { } obj
            ? new OrgObject(obj.Name, obj.Fields.Select(f => new OrgField(f.Name, f.Type, !f.ReadOnly, !f.ReadOnly, f.ExternalId, f.RestrictedPicklist,
                f.PicklistValues, f.ReferenceTo is null ? [] : [f.ReferenceTo], f.RelationshipName)))
            : null);
}
