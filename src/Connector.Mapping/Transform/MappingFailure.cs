namespace Connector.Mapping.Transform;

/// <summary>Raised inside the mapper when one field breaks a rule; turned into a <see cref="MapResult{T}"/> failure.</summary>
internal sealed class MappingFailure(string message) : Exception(message);
