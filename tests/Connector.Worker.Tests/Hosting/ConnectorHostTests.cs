using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Connector.Worker.Tests.Hosting;

[TestFixture]
public sealed class ConnectorHostTests
{
    [TestCase("Json", null, "json")]
    [TestCase(null, "true", "json")]
    [TestCase("Text", "true", "simple")]
    [TestCase(null, null, "simple")]
    public void Build_LoggingFormat_JsonInContainersPlainOnTerminals(string? format, string? inContainer, string expected)
    {
        // Arrange
        var settings = new Dictionary<string, string?> { ["Connector:Logging:Format"] = format, ["DOTNET_RUNNING_IN_CONTAINER"] = inContainer };

        // Act
        using var host = ConnectorHost.Build(settings, local: true);

        // Assert
        var formatter = host.Services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName ?? "simple";
        Assert.That(formatter, Is.EqualTo(expected));
    }
}
