namespace Connector.Mapping.Profile;

/// <summary>When a field is written back: on every change (default), or only when the record is first written.</summary>
internal enum WriteMode
{
    Always,
    Once,
}
