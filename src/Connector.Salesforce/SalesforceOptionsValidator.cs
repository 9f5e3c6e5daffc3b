using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Connector.Salesforce;

/// <summary>
/// Checks the Salesforce settings at start. Each failure is one line naming the key, the value (never a secret's
/// value) and what is allowed.
/// </summary>
internal sealed partial class SalesforceOptionsValidator : IValidateOptions<SalesforceOptions>
{
    private const string Prefix = "Connector:Salesforce:";
    private const int MaxBase64Bytes = 37_500_000;

    /// <summary>Why the file cannot sign a JWT (never quoting its content), or null when it holds an RSA private key in PEM.</summary>
    private static string? KeyProblem(string path)
    {
        string pem;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > 1024 * 1024)
            {
                return "the file is larger than a PEM key (1 MiB)";
            }

            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"the file cannot be read ({ex.GetType().Name})";
        }

        if (string.IsNullOrWhiteSpace(pem))
        {
            return "the file is empty; it must hold the app's RSA private key in PEM (-----BEGIN PRIVATE KEY-----)";
        }

        using var rsa = System.Security.Cryptography.RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            _ = rsa.ExportParameters(includePrivateParameters: true); // a public key imports too, but cannot sign
            return null;
        }
        catch (Exception ex) when (ex is ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return "the file does not hold an RSA private key in PEM (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)";
        }
    }

    public ValidateOptionsResult Validate(string? name, SalesforceOptions options)
    {
        var failures = new List<string>();
        if (CheckUrl(options.LoginUrl, options.AllowInsecureHttp) is { } urlProblem)
        {
            failures.Add($"{Prefix}LoginUrl = '{options.LoginUrl}' is not allowed: {urlProblem}.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add($"{Prefix}ClientId is empty: set the consumer key of the connected app.");
        }

        if (!ApiVersionPattern().IsMatch(options.ApiVersion) || decimal.Parse(options.ApiVersion, CultureInfo.InvariantCulture) < 46m)
        {
            failures.Add($"{Prefix}ApiVersion = '{options.ApiVersion}' is not allowed: use a version like 62.0, at least 46.0.");
        }

        if (CheckUrl(options.PubSubEndpoint, options.AllowInsecureHttp) is { } pubSubProblem)
        {
            failures.Add($"{Prefix}PubSubEndpoint = '{options.PubSubEndpoint}' is not allowed: {pubSubProblem}.");
        }

        if (!CallOptionsClientPattern().IsMatch(options.CallOptionsClient))
        {
            failures.Add($"{Prefix}CallOptionsClient = '{options.CallOptionsClient}' is not allowed: use 1 to 40 letters, digits, '_' or '-'.");
        }

        switch (options.AuthFlow)
        {
            case SalesforceAuthFlow.JwtBearer:
                if (string.IsNullOrWhiteSpace(options.Username))
                {
                    failures.Add($"{Prefix}Username is empty: the JWT bearer flow needs the integration user's username.");
                }

                if (string.IsNullOrWhiteSpace(options.PrivateKeyPath))
                {
                    failures.Add($"{Prefix}PrivateKeyPath is empty: the JWT bearer flow needs the PEM file of the app's private key.");
                }
                else if (!File.Exists(options.PrivateKeyPath))
                {
                    failures.Add($"{Prefix}PrivateKeyPath = '{options.PrivateKeyPath}' is not allowed: no such file.");
                }
                else if (KeyProblem(options.PrivateKeyPath) is { } keyProblem)
                {
                    failures.Add($"{Prefix}PrivateKeyPath = '{options.PrivateKeyPath}' is not allowed: {keyProblem}.");
                }

                break;
            case SalesforceAuthFlow.ClientCredentials:
                if (string.IsNullOrWhiteSpace(options.ClientSecret))
                {
                    failures.Add($"{Prefix}ClientSecret is empty: the client credentials flow needs the app's secret.");
                }

                if (Uri.TryCreate(options.LoginUrl, UriKind.Absolute, out var login)
                    && (login.Host.Equals("login.salesforce.com", StringComparison.OrdinalIgnoreCase)
                        || login.Host.Equals("test.salesforce.com", StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{Prefix}LoginUrl = '{options.LoginUrl}' is not allowed with AuthFlow = ClientCredentials: use your My Domain URL (https://yourdomain.my.salesforce.com); login and test hosts answer 'request not supported on this domain'.");
                }

                break;
            default:
                failures.Add($"{Prefix}AuthFlow = '{options.AuthFlow}' is not allowed: use JwtBearer or ClientCredentials.");
                break;
        }

        if (options.ApiBudgetShare is < 0.05 or > 1.0)
        {
            failures.Add($"{Prefix}ApiBudgetShare = '{options.ApiBudgetShare.ToString(CultureInfo.InvariantCulture)}' is not allowed: use a share from 0.05 to 1 (0.5 = half the daily allocation).");
        }

        if (options.MaxFileCallBytes is < 1 or > MaxBase64Bytes)
        {
            failures.Add($"{Prefix}MaxFileCallBytes = '{options.MaxFileCallBytes}' is not allowed: use 1 to {MaxBase64Bytes} (the REST API's 37.5 MB limit of base64 in a request).");
        }

        if (options.FilesPerCall is < 1 or > 200)
        {
            failures.Add($"{Prefix}FilesPerCall = '{options.FilesPerCall}' is not allowed: use 1 to 200 (sObject Collections' limit).");
        }

        if (options.MaxRetryAttempts is < 1 or > 10)
        {
            failures.Add($"{Prefix}MaxRetryAttempts = '{options.MaxRetryAttempts}' is not allowed: use 1 to 10.");
        }

        if (options.BulkQueryThreshold < 0)
        {
            failures.Add($"{Prefix}BulkQueryThreshold = '{options.BulkQueryThreshold}' is not allowed: use 0 (never) or more.");
        }

        if (options.BulkJobTimeout < TimeSpan.FromMilliseconds(100) || options.BulkJobTimeout > TimeSpan.FromHours(24))
        {
            failures.Add($"{Prefix}BulkJobTimeout = '{options.BulkJobTimeout}' is not allowed: use 00:00:00.100 to 1.00:00:00.");
        }

        if (options.BulkWriteThreshold < 0)
        {
            failures.Add($"{Prefix}BulkWriteThreshold = '{options.BulkWriteThreshold}' is not allowed: use 0 (never) or more.");
        }

        if (options.CollectionsPerCompositeCall is < 1 or > 5)
        {
            failures.Add($"{Prefix}CollectionsPerCompositeCall = '{options.CollectionsPerCompositeCall}' is not allowed: use 1 to 5 (the Composite resource takes at most 5 collections subrequests).");
        }

        if (options.BulkPollInterval <= TimeSpan.Zero || options.BulkPollInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}BulkPollInterval = '{options.BulkPollInterval}' is not allowed: use more than 0 and at most 00:05:00.");
        }

        if (options.BulkPageSize is < 1 or > 1_000_000)
        {
            failures.Add($"{Prefix}BulkPageSize = '{options.BulkPageSize}' is not allowed: use 1 to 1000000.");
        }

        if (options.CircuitBreakDuration < TimeSpan.FromSeconds(1) || options.CircuitBreakDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{Prefix}CircuitBreakDuration = '{options.CircuitBreakDuration}' is not allowed: use 00:00:01 to 01:00:00.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero || options.AttemptTimeout >= options.TotalRequestTimeout)
        {
            failures.Add($"{Prefix}AttemptTimeout = '{options.AttemptTimeout}' is not allowed: it must be positive and shorter than TotalRequestTimeout ({options.TotalRequestTimeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Null when the URL may be used; otherwise why not.</summary>
    public static string? CheckUrl(string url, bool allowInsecureHttp)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "use an absolute https URL such as https://login.salesforce.com";
        }

        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)
        {
            return allowInsecureHttp ? null : "http is allowed only for loopback with Connector:Salesforce:AllowInsecureHttp = true";
        }

        return "use an https URL (http only for a loopback test org with AllowInsecureHttp = true)";
    }

    [GeneratedRegex(@"^\d{2,3}\.0$")]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex CallOptionsClientPattern();
}
