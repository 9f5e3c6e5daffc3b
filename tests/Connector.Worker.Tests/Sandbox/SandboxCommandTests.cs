using System.Net;
using System.Net.Sockets;
using Connector.Worker.Cli;

namespace Connector.Worker.Tests.Sandbox;

/// <summary><c>connector sandbox</c> refusing what it cannot serve: one line on stderr naming the option, exit 2.</summary>
[TestFixture]
public sealed class SandboxCommandTests
{
    [Test, CancelAfter(30_000)]
    public async Task Sandbox_PortAnotherProgramListensOn_OneLineNamingThePortExit2(CancellationToken cancellationToken)
    {
        // Arrange
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("connector-sandbox-cli-");

        // Act
        var (exit, output, error) = await RunAsync(["sandbox", "--port", port, "--dir", folder.FullName], cancellationToken);
        folder.Delete(recursive: true);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Is.EqualTo($"--port = '{port}' or --pubsub-port = '0' is not allowed: another program listens on it; use free ports, or 0 for any."));
            Assert.That(output, Is.Empty);
        }
    }

    [TestCase("70000", "--port = '70000' is not allowed: use 0 (any free port) to 65535.")]
    [TestCase("-1", "--port = '-1' is not allowed: use 0 (any free port) to 65535.")]
    public async Task Sandbox_PortOutOfRange_OneLineExit2(string port, string expected)
    {
        var (exit, output, error) = await RunAsync(["sandbox", "--port", port], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(error.Trim(), Is.EqualTo(expected));
            Assert.That(output, Is.Empty);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await ConnectorCli.Build(output, error).Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
