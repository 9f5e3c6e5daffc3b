namespace Connector.Salesforce.Tests;

[TestFixture]
public sealed class SalesforceOptionsValidatorTests
{
    private static readonly Lazy<string> Pem = new(() =>
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    private string _keyPath = null!;

    [SetUp]
    public void CreateKeyFile()
    {
        _keyPath = Path.GetTempFileName();
        File.WriteAllText(_keyPath, Pem.Value);
    }

    [TearDown]
    public void DeleteKeyFile() => File.Delete(_keyPath);

    [TestCase("http://login.example.com", true, "LoginUrl = 'http://login.example.com' is not allowed")]
    [TestCase("http://127.0.0.1:8080", false, "AllowInsecureHttp = true")]
    [TestCase("not a url", false, "use an absolute https URL")]
    public void Validate_InsecureOrBadLoginUrl_OneLineNamingKeyValueAndRule(string url, bool allowInsecure, string expected)
    {
        var result = new SalesforceOptionsValidator().Validate(null, Valid() with { LoginUrl = url, AllowInsecureHttp = allowInsecure });

        Assert.That(result.Failures!.Single(), Does.StartWith("Connector:Salesforce:LoginUrl").And.Contain(expected));
    }

    [Test]
    public void Validate_LoopbackHttpWithAllowInsecure_Passes()
    {
        var result = new SalesforceOptionsValidator().Validate(null, Valid() with { LoginUrl = "http://localhost:5000", AllowInsecureHttp = true });

        Assert.That(result.Succeeded, Is.True, string.Join("; ", result.Failures ?? []));
    }

    [Test]
    public void Validate_ClientCredentialsOnLoginHost_SaysToUseMyDomain()
    {
        var options = Valid() with { AuthFlow = SalesforceAuthFlow.ClientCredentials, ClientSecret = "s3cret" };

        var result = new SalesforceOptionsValidator().Validate(null, options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures!.Single(), Does.Contain("My Domain"));
            Assert.That(result.Failures!.Single(), Does.Not.Contain("s3cret"));
        }
    }

    [Test]
    public void Validate_JwtWithoutUserOrKey_ReportsBoth()
    {
        var result = new SalesforceOptionsValidator().Validate(null, Valid() with { Username = "", PrivateKeyPath = "/missing/key.pem" });

        Assert.That(result.Failures, Is.EqualTo(new[]
        {
            "Connector:Salesforce:Username is empty: the JWT bearer flow needs the integration user's username.",
            "Connector:Salesforce:PrivateKeyPath = '/missing/key.pem' is not allowed: no such file.",
        }));
    }

    private Options Valid() => new()
    {
        LoginUrl = "https://login.salesforce.com", ClientId = "3MVG9", Username = "u@example.com", PrivateKeyPath = _keyPath,
    };

    /// <summary>A record copy of the options so each case states only what it changes.</summary>
    private sealed record Options
    {
        public string LoginUrl { get; init; } = "";
        public string ClientId { get; init; } = "";
        public string Username { get; init; } = "";
        public string PrivateKeyPath { get; init; } = "";
        public string ClientSecret { get; init; } = "";
        public bool AllowInsecureHttp { get; init; }
        public SalesforceAuthFlow AuthFlow { get; init; }

        public static implicit operator SalesforceOptions(Options o) => new()
        {
            LoginUrl = o.LoginUrl, ClientId = o.ClientId, Username = o.Username, PrivateKeyPath = o.PrivateKeyPath,
            ClientSecret = o.ClientSecret, AllowInsecureHttp = o.AllowInsecureHttp, AuthFlow = o.AuthFlow,
        };
    }

    [TestCase("")]
    [TestCase("hello")]
    public void Validate_KeyFileWithoutAPemPrivateKey_OneLineNamingTheFileNeverItsContent(string content)
    {
        File.WriteAllText(_keyPath, content);

        var result = new SalesforceOptionsValidator().Validate(null, Valid());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failures!.Single(), Does.StartWith($"Connector:Salesforce:PrivateKeyPath = '{_keyPath}' is not allowed: "));
            Assert.That(result.Failures!.Single(), content.Length > 0 ? Does.Not.Contain(content) : Does.Contain("empty"));
        }
    }
}
