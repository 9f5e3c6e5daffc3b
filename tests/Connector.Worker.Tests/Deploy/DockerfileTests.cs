namespace Connector.Worker.Tests.Deploy;

/// <summary>
/// No container engine runs here, so the image cannot be built in the tests; these check what the Dockerfile promises
/// ops (and what the chart relies on): multi-stage, non-root, the SQLite volume, the health check, the entry point.
/// </summary>
[TestFixture]
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Repository.File("Dockerfile"));

    [Test]
    public void Dockerfile_MultiStage_PublishesForOneRuntimeAndRunsOnTheAspNetRuntime()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(stages, Has.Count.EqualTo(2));
            Assert.That(stages[0], Does.Contain("dotnet/sdk:10.0"));
            Assert.That(stages[1], Does.Contain("dotnet/aspnet:10.0"));
            Assert.That(string.Join("\n", Lines), Does.Contain("dotnet publish src/Connector.Worker/Connector.Worker.csproj -c Release").And.Contain("--os linux -a"));
        }
    }

    [Test]
    public void Dockerfile_RunsAsTheChartsNonRootUserWithTheSqliteVolumeAndAHealthCheck()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Lines, Has.Some.EqualTo("USER 10001:10001"));
            Assert.That(Lines, Has.Some.EqualTo("VOLUME [\"/data\"]"));
            Assert.That(Lines, Has.Some.Contains("Connector__Storage__ConnectionString=\"Data Source=/data/connector.db\""));
            Assert.That(Lines, Has.Some.StartsWith("HEALTHCHECK").And.Some.Contains("\"healthcheck\""));
            Assert.That(Lines, Has.Some.EqualTo("ENTRYPOINT [\"/app/connector\"]"));
            Assert.That(Lines, Has.Some.EqualTo("CMD [\"run\"]"));
        }
    }

    [Test]
    public void Globalization_OnInTheBuildAndTheImage_SoSqlServerConnectionsCanOpen()
    {
        // Microsoft.Data.SqlClient refuses to open a connection in globalization-invariant mode.
        var runtimeConfig = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "connector.runtimeconfig.json"));
        var runtimeStage = Lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(runtimeConfig, Does.Contain("\"System.Globalization.Invariant\": false"));
            Assert.That(Lines, Has.Some.Contains("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=false"));
            Assert.That(Lines, Has.None.Contains("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true").And.None.Contains("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1"));
            Assert.That(runtimeStage, Does.Not.Contain("chiseled").Or.Contain("extra"), "chiseled images carry ICU only in their -extra variant");
        }
    }
}
