using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Connector.Sync.Cycles;

/// <summary>
/// Validates an options class by the attributes on its properties, where they are declared, and says each failure
/// as the rest of the settings do: one line with the key, the value and what is allowed
/// (<c>Connector:Sync:PollInterval = '00:00:00' is not allowed: use 00:00:01 to 1.00:00:00.</c>).
/// </summary>
internal sealed class AnnotatedOptionsValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(options);
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                if (!attribute.IsValid(value))
                {
                    failures.Add($"{sectionName}:{property.Name} = '{Format(value)}' is not allowed: {Allowed(attribute, property.Name)}.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Allowed(ValidationAttribute attribute, string name) => attribute switch
    {
        RangeAttribute range => $"use {Format(range.Minimum)} to {Format(range.Maximum)}",
        RequiredAttribute => "set a value",
        _ => attribute.FormatErrorMessage(name).TrimEnd('.'),
    };

    private static string Format(object? value) => value switch
    {
        null => "",
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
