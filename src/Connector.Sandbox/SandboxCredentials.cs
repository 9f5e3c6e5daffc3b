using System.Security.Cryptography;

namespace Connector.Sandbox;

/// <summary>
/// The connected app and integration user of the sandbox org: a fresh RSA key pair per org (the private key is what
/// the connector signs with; the org verifies with the public key), a consumer key and a username.
/// </summary>
internal sealed class SandboxCredentials : IDisposable
{
    public SandboxCredentials()
    {
        Key = RSA.Create(2048);
    }

    public string ClientId { get; init; } = "3MVG9SANDBOX.connector.consumer.key";

    public string Username { get; init; } = "integration@sandbox.connector.test";

    public string ClientSecret { get; init; } = "sandbox-client-secret";

    internal RSA Key { get; }

    /// <summary>The private key in PEM, for writing to the file the connector reads (never log it).</summary>
    public string ExportPrivateKeyPem() => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>Writes the private key to a new file readable only by this user and returns its path.</summary>
    public string WritePrivateKeyFile(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "sandbox-jwt-key.pem");
        File.WriteAllText(path, ExportPrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    public void Dispose() => Key.Dispose();
}
