using System.Text.Json;
using Connector.Mapping.Profile;
using NJsonSchema;
using YamlDotNet.Serialization;

namespace Connector.Mapping.Tests.Profile;

/// <summary>docs/mapping.schema.json is what editors use to complete and check mapping files; it must accept what the loader accepts.</summary>
[TestFixture]
public sealed class MappingSchemaTests
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    [TestCase("cpq-default.yaml")]
    [TestCase("salesforce-billing.yaml")]
    [TestCase("cpq-subscriptions.yaml")]
    public async Task ShippedProfile_CheckedAgainstThePublishedSchema_HasNoErrors(string profile)
    {
        // Arrange
        var schema = await LoadSchemaAsync();

        // Act
        var errors = schema.Validate(ToJson(MappingProfileLoader.ShippedProfile(profile)));

        // Assert
        Assert.That(errors.Select(e => $"{e.Path}: {e.Kind}"), Is.Empty);
    }

    [TestCase("defaults:", "defaultz:")]
    [TestCase("quantity: Quantity", "quantity: { field: Quantity, constant: \"1\" }")]
    [TestCase("      Connector_Status__c: status", "      Connector_Status__c: { fact: status, mode: sometimes }")]
    public async Task BrokenProfile_CheckedAgainstThePublishedSchema_IsRejected(string from, string to)
    {
        var schema = await LoadSchemaAsync();
        var yaml = MappingProfileLoader.ShippedProfile("cpq-default.yaml");
        Assert.That(yaml, Does.Contain(from));

        var errors = schema.Validate(ToJson(yaml.Replace(from, to, StringComparison.Ordinal)));

        Assert.That(errors, Is.Not.Empty);
    }

    [Test]
    public async Task Schema_InputsPerSource_AreExactlyTheLoadersCatalog()
    {
        var schema = JsonDocument.Parse(await File.ReadAllTextAsync(Repository.File("docs", "mapping.schema.json")));
        var sources = schema.RootElement.GetProperty("properties").GetProperty("sources").GetProperty("properties");

        foreach (var (name, inputs) in Catalog.Sources)
        {
            var fields = sources.GetProperty(name).GetProperty("allOf")[1].GetProperty("properties").GetProperty("fields");
            Assert.That(fields.GetProperty("properties").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(inputs.Keys), name);
            Assert.That(fields.GetProperty("required").EnumerateArray().Select(r => r.GetString()), Is.EquivalentTo(inputs.Values.Where(i => i.Required).Select(i => i.Name)), name);
        }
    }

    private static string ToJson(string yaml) => JsonSerializer.Serialize(Yaml.Deserialize<object>(yaml));

    private static Task<JsonSchema> LoadSchemaAsync() => JsonSchema.FromFileAsync(Repository.File("docs", "mapping.schema.json"));
}
