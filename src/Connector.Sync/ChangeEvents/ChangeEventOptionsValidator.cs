using System.Text.RegularExpressions;
using Connector.Mapping.Transform;
using Microsoft.Extensions.Options;

namespace Connector.Sync.ChangeEvents;

/// <summary>Checks the change event settings against the mapping: each streamed object is a mapped source's object; the channel is a channel name.</summary>
internal sealed partial class ChangeEventOptionsValidator(RecordMapper mapper) : IValidateOptions<ChangeEventOptions>
{
    private const string Prefix = ChangeEventOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, ChangeEventOptions options)
    {
        var failures = new Cycles.AnnotatedOptionsValidator<ChangeEventOptions>(ChangeEventOptions.SectionName).Validate(name, options) is { Failed: true } annotated
            ? new List<string>(annotated.Failures ?? [])
            : [];
        var mapped = mapper.Profile.Sources.Values.Select(s => s.Object).ToList();
        for (var i = 0; i < options.Objects.Count; i++)
        {
            if (!mapped.Contains(options.Objects[i], StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"{Prefix}Objects:{i} = '{options.Objects[i]}' is not allowed: stream the object of a mapped source ({string.Join(", ", mapped)}).");
            }
        }

        if (!string.IsNullOrEmpty(options.Channel) && !ChannelPattern().IsMatch(options.Channel))
        {
            failures.Add($"{Prefix}Channel = '{options.Channel}' is not allowed: use a channel name such as /data/Billing__chn, /data/ChangeEvents or /data/OrderChangeEvent.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^/data/[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ChannelPattern();
}
