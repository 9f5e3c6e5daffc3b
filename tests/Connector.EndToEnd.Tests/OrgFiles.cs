using System.Text.Json.Nodes;
using Connector.Sandbox.Data;

namespace Connector.EndToEnd.Tests;

/// <summary>The files the connector uploaded to the sandbox org: a PDF and a UBL file per posted document.</summary>
internal static class OrgFiles
{
    /// <summary>Files per posted document: its PDF and its UBL file.</summary>
    public const int PerDocument = 2;

    public static IReadOnlyList<JsonObject> Pdfs(this SandboxData data) => Files(data, ".pdf");

    public static IReadOnlyList<JsonObject> UblFiles(this SandboxData data) => Files(data, ".xml");

    private static List<JsonObject> Files(SandboxData data, string extension) =>
        [.. data.All("ContentVersion").Where(v => v["PathOnClient"]?.GetValue<string>().EndsWith(extension, StringComparison.Ordinal) == true)];
}
