using Connector.Worker.Cli;
using Connector.Worker.Hosting;

namespace Connector.Worker.Tests.Cli;

/// <summary>
/// One bad value for every setting the connector binds (the keys come from the options classes): each stops the
/// start with exit 2 and exactly one line on stderr naming the key and the value, never a stack trace.
/// </summary>
[TestFixture]
[NonParallelizable] // sets process environment variables
public sealed class SettingsFuzzTests
{
    private readonly Dictionary<string, string?> _saved = [];
    private DirectoryInfo _directory = null!;

    public static IEnumerable<TestCaseData> BadValues() =>
        ConfigurationChecks.Keys().SelectMany(k => ValuesFor(k.Type).Select(v => new TestCaseData(k.Key, v).SetName($"Setting_{k.Key.Replace(':', '_')}_{Describe(v)}_ExitsTwoWithOneLine")));

    [SetUp]
    public void ValidBaseline()
    {
        _directory = Directory.CreateTempSubdirectory("connector-settings-");
        var key = Path.Combine(_directory.FullName, "k.pem");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        }

        Set("Connector__Storage__ConnectionString", $"Data Source={Path.Combine(_directory.FullName, "c.db")}");
        Set("Connector__Salesforce__LoginUrl", "http://127.0.0.1:9");
        Set("Connector__Salesforce__AllowInsecureHttp", "true");
        Set("Connector__Salesforce__ClientId", "x");
        Set("Connector__Salesforce__Username", "u");
        Set("Connector__Salesforce__PrivateKeyPath", key);
    }

    [TearDown]
    public void Restore()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        _saved.Clear();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }

    [TestCaseSource(nameof(BadValues))]
    public async Task BadValue_SyncOnce_ExitsTwoWithOneLineNamingTheKeyAndValue(string key, string value)
    {
        // Arrange
        Set(key.Replace(":", "__", StringComparison.Ordinal), value);

        // Act
        var (exit, output, error) = await SyncOnceAsync();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(Lines(error), Has.Length.EqualTo(1), error);
            Assert.That(Lines(error).FirstOrDefault(), Does.Contain(key).IgnoreCase.And.Contain(value));
            Assert.That(output, Is.Empty);
        }
    }

    [TestCase("Connector__Salesforce__FilesPerCompositeCall", "25", "FilesPerCall")]
    [TestCase("Connector__Salesforce__MaxCompositeBytes", "25165824", "MaxFileCallBytes")]
    public async Task RenamedSetting_SyncOnce_ExitsTwoNamingTheOldKeyAndItsReplacement(string key, string value, string replacement)
    {
        // Arrange: a setting an earlier version read, still set after an upgrade.
        Set(key, value);

        // Act
        var (exit, output, error) = await SyncOnceAsync();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(Lines(error), Has.Length.EqualTo(1), error);
            Assert.That(Lines(error).FirstOrDefault(), Does.Contain(key.Replace("__", ":", StringComparison.Ordinal)).And.Contain(value).And.Contain(replacement));
            Assert.That(output, Is.Empty);
        }
    }

    [TestCase("")]
    [TestCase("not a key")]
    [TestCase("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----")]
    public async Task PrivateKeyFile_EmptyOrNotAPemPrivateKey_ExitsTwoWithOneLineNamingTheKeyNeverItsContent(string content)
    {
        var path = Path.Combine(_directory.FullName, "bad.pem");
        await File.WriteAllTextAsync(path, content);
        Set("Connector__Salesforce__PrivateKeyPath", path);

        var (exit, _, error) = await SyncOnceAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(Lines(error), Has.Length.EqualTo(1), error);
            Assert.That(Lines(error).FirstOrDefault(), Does.StartWith($"Connector:Salesforce:PrivateKeyPath = '{path}' is not allowed: "));
            Assert.That(error, Does.Not.Contain("MIIB").And.Not.Contain("not a key"));
        }
    }

    private static async Task<(int Exit, string Output, string Error)> SyncOnceAsync()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ConnectorCli.Build(output, error).Parse(["sync", "--once"]).InvokeAsync();
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> ValuesFor(Type type) => type switch
    {
        _ when type.IsEnum => ["Bogus", "7"],
        _ when type == typeof(bool) => ["maybe"],
        _ when type == typeof(int) => ["abc", "1.5", "99999999999", "-1"],
        _ when type == typeof(double) => ["abc", "NaN", "Infinity", "-1"],
        _ when type == typeof(TimeSpan) => ["abc", "-00:00:01", "25:99:99"],
        _ => [],
    };

    private static string Describe(string value) => new([.. value.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);

    private void Set(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}
