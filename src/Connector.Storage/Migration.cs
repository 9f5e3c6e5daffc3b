using System.Reflection;
using System.Text.RegularExpressions;

namespace Connector.Storage;

/// <summary>One versioned schema change for one dialect, read from an embedded <c>NNNN_name.sql</c> file.</summary>
internal sealed partial record Migration(int Version, string Name, IReadOnlyList<string> Batches)
{
    private const string ResourcePrefix = "Connector.Storage.Migrations.";

    /// <summary>All migrations of a dialect, in version order. SQL Server scripts are split into batches on <c>GO</c> lines.</summary>
    public static IReadOnlyList<Migration> For(StorageProvider provider)
    {
        var assembly = typeof(Migration).Assembly;
        var folder = ResourcePrefix + provider + ".";
        return
        [
            .. assembly.GetManifestResourceNames()
                .Select(n => (Resource: n, Normalized: n.Replace('/', '.').Replace('\\', '.')))
                .Where(r => r.Normalized.StartsWith(folder, StringComparison.Ordinal) && r.Normalized.EndsWith(".sql", StringComparison.Ordinal))
                .Select(r => Load(assembly, r.Resource, r.Normalized[folder.Length..^4], provider))
                .OrderBy(m => m.Version),
        ];
    }

    private static Migration Load(Assembly assembly, string resource, string fileName, StorageProvider provider)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var script = reader.ReadToEnd();
        IReadOnlyList<string> batches = provider == StorageProvider.SqlServer
            ? [.. GoSeparator().Split(script).Select(b => b.Trim()).Where(b => b.Length > 0)]
            : [script];
        return new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, batches);
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)$")]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();
}
