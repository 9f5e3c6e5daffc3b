using Connector.Worker.Cli;

namespace Connector.Worker.Tests.Cli;

[TestFixture]
[NonParallelizable] // sets process environment variables
public sealed class ConnectorCliTests
{
    private readonly Dictionary<string, string?> _saved = [];

    [TearDown]
    public void RestoreEnvironment()
    {
        foreach (var (key, value) in _saved)
        {
            Environment.SetEnvironmentVariable(key, value);
        }

        _saved.Clear();
    }

    [TestCase("sync", "--once")]
    [TestCase("run", "PollInterval")]
    [TestCase("invoice-run", "--target-date")]
    [TestCase("demo", "--database")]
    public async Task Help_EveryVerb_DescribesItsOptions(string verb, string expected)
    {
        var (exit, output, _) = await RunAsync(verb, "--help");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain(expected));
        }
    }

    [Test]
    public async Task Help_Root_ListsTheVerbs()
    {
        var (exit, output, _) = await RunAsync("--help");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(output, Does.Contain("sync").And.Contain("demo").And.Contain("invoice-run").And.Contain("run"));
        }
    }

    [Test]
    public async Task Sync_WithoutOnce_ExitsTwoAndSaysWhatToUse()
    {
        var (exit, _, error) = await RunAsync("sync");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("--once").And.Contain("connector run"));
        }
    }

    [Test]
    public async Task SyncOnce_UnknownStorageProvider_ExitsTwoWithOneLineNamingKeyValueAndChoices()
    {
        SetEnvironment("Connector__Storage__Provider", "Oracle");

        var (exit, _, error) = await RunAsync("sync", "--once");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Is.EqualTo("Connector:Storage:Provider = 'Oracle' is not allowed: use Sqlite or SqlServer or Postgres."));
        }
    }

    [TestCase(new[] { "invoices" }, "Unrecognized command or argument 'invoices'.", "See 'connector --help'.")]
    [TestCase(new[] { "verifactu" }, "Required command was not provided.", "See 'connector verifactu --help'.")]
    [TestCase(new[] { "documents", "export", "--from" }, "Required argument missing for option: '--from'.", "See 'connector documents export --help'.")]
    public async Task Run_WordsThatDoNotParse_ExitTwoWithTheProblemAndWhereTheUsageIsOnStderrOnly(string[] args, string problem, string usage)
    {
        var (exit, output, error) = await RunAsync(args);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(output, Is.Empty, "stdout carries results only");
            Assert.That(error, Does.Contain(problem).And.Contain(usage));
        }
    }

    [TestCase("Connector__VeriFactu__Sender", "Maybe", "Connector:VeriFactu:Sender = 'Maybe' is not allowed: use Off or Aeat.")]
    [TestCase("Connector__VeriFactu__QrHost", "Live", "Connector:VeriFactu:QrHost = 'Live' is not allowed: use Test or Production.")]
    [TestCase("Connector__Billing__Seller__EndpointScheme", "9920", "Connector:Billing:Seller:EndpointId is missing: an electronic address needs both EndpointId and EndpointScheme.")]
    public async Task InvoiceRun_BadEInvoiceSetting_ExitsTwoWithOneLineNamingKeyValueAndChoices(string key, string value, string expected)
    {
        SetEnvironment(key, value);

        var (exit, _, error) = await RunAsync("invoice-run", "--dry-run");

        Assert.That((exit, error.Trim()), Is.EqualTo((2, expected)));
    }

    [TestCase("SqlServer", "Server=127.0.0.1,{0};Database=connector;User Id=sa;Password=Sekret-123;Connect Timeout=5;Encrypt=false", "127.0.0.1,{0}")]
    [TestCase("Postgres", "Host=127.0.0.1;Port={0};Database=connector;Username=connector;Password=Sekret-123;Timeout=5", "127.0.0.1:{0}")]
    public async Task Status_ServerDatabaseOnAClosedPort_ExitsOneWithOneConnectionErrorNamingTheServer(string provider, string template, string server)
    {
        // Arrange: a loopback port nobody listens on. Before ICU was enabled, SqlClient failed here with a platform
        // exception (globalization invariant mode) without trying the network.
        var port = ClosedPort();
        SetEnvironment("Connector__Storage__Provider", provider);
        SetEnvironment("Connector__Storage__ConnectionString", string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port));

        // Act
        var (exit, output, error) = await RunAsync("status");

        // Assert
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(lines, Has.Length.EqualTo(1), error);
            Assert.That(lines[0], Does.StartWith($"Cannot connect to the {provider} database at {string.Format(System.Globalization.CultureInfo.InvariantCulture, server, port)}, database connector: "));
            Assert.That(error, Does.Not.Contain("Sekret").And.Not.Contain("Globalization").And.Not.Contain("   at "));
        }
    }

    [TestCase("SqlServer", "Server=db;Bogus Keyword=1")]
    [TestCase("Postgres", "just some text")]
    [TestCase("Sqlite", "Data Source=x.db;Colour=blue")]
    public async Task Status_ConnectionStringTheProviderCannotRead_ExitsTwoWithOneLineNamingTheKey(string provider, string connectionString)
    {
        SetEnvironment("Connector__Storage__Provider", provider);
        SetEnvironment("Connector__Storage__ConnectionString", connectionString);

        var (exit, _, error) = await RunAsync("status");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Does.StartWith($"Connector:Storage:ConnectionString is not a {provider} connection string").And.Not.Contain("\n"));
        }
    }

    [Test]
    public async Task Status_SqliteFileInAFolderThatDoesNotExist_ExitsTwoWithOneLineNamingTheSetting()
    {
        SetEnvironment("Connector__Storage__ConnectionString", "Data Source=/nonexistent-folder-for-the-test/connector.db");

        var (exit, _, error) = await RunAsync("status");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Is.EqualTo("Connector:Storage:ConnectionString's Data Source = '/nonexistent-folder-for-the-test/connector.db' is not allowed: the folder /nonexistent-folder-for-the-test does not exist; create it or point at a file in an existing, writable folder."));
        }
    }

    [Test]
    public async Task SyncOnce_NothingConfigured_ExitsTwoListingEachMissingSalesforceSetting()
    {
        SetEnvironment("Connector__Salesforce__ClientSecret", "do-not-print-me");

        var (exit, _, error) = await RunAsync("sync", "--once");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("Connector:Salesforce:ClientId is empty"));
            Assert.That(error, Does.Contain("Connector:Salesforce:Username is empty"));
            Assert.That(error, Does.Contain("Connector:Salesforce:PrivateKeyPath is empty"));
            Assert.That(error, Does.Not.Contain("do-not-print-me"));
            Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        }
    }

    [Test]
    public async Task SyncOnce_BadTimeZone_ExitsTwoNamingTheKey()
    {
        SetEnvironment("Connector__Billing__TimeZone", "Mars/Olympus");

        var (exit, _, error) = await RunAsync("sync", "--once");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error, Does.Contain("Connector:Billing:TimeZone"));
        }
    }

    [Test]
    public async Task InvoiceRun_BadTargetDate_ExitsTwo()
    {
        var directory = Directory.CreateTempSubdirectory("connector-cli-");
        SetEnvironment("Connector__Storage__ConnectionString", $"Data Source={Path.Combine(directory.FullName, "c.db")}");
        SetEnvironment("Connector__Salesforce__ClientId", "x");
        SetEnvironment("Connector__Salesforce__Username", "u");
        var key = Path.Combine(directory.FullName, "k.pem");
        await File.WriteAllTextAsync(key, "unused");
        SetEnvironment("Connector__Salesforce__PrivateKeyPath", key);
        try
        {
            var (exit, _, error) = await RunAsync("invoice-run", "--target-date", "31/12/2026");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(exit, Is.EqualTo(2));
                Assert.That(error.Trim(), Is.EqualTo("--target-date = '31/12/2026' is not allowed: use yyyy-MM-dd."));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private void SetEnvironment(string key, string value)
    {
        _saved.TryAdd(key, Environment.GetEnvironmentVariable(key));
        Environment.SetEnvironmentVariable(key, value);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; // closed again when the listener is disposed
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ConnectorCli.RunAsync(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
