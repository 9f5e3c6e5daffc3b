namespace Connector.Tests.Shared;

/// <summary>The checkout the tests run from (the folder holding Connector.sln), for files that ship outside the assemblies.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !System.IO.File.Exists(Path.Combine(directory.FullName, "Connector.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException("Connector.sln not found above " + AppContext.BaseDirectory);
    }
}
