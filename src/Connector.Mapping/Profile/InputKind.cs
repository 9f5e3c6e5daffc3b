namespace Connector.Mapping.Profile;

/// <summary>What a billing input holds, which decides how its value is parsed and which Salesforce field types fit it.</summary>
internal enum InputKind
{
    Text,
    Id,
    Number,
    Date,
    Picklist,

    /// <summary>A yes/no: a checkbox, or a text true/false.</summary>
    Flag,
}
