using Connector.Mapping.Profile;

namespace Connector.Mapping.Tests.Profile;

[TestFixture]
public sealed class MappingProfileLoaderTests
{
    [Test]
    public void LoadDefault_ShippedProfile_IsValidAndReadsCpqFieldsOnly()
    {
        // Act
        var profile = MappingProfileLoader.LoadDefault();

        // Assert
        var paths = profile.Sources.Values.SelectMany(s => s.Fields.Values).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(profile.Order.Object, Is.EqualTo("Order"));
            Assert.That(profile.Order.Where, Is.EqualTo("Status = 'Activated'"));
            Assert.That(profile.OrderItem.Fields["billingFrequency"], Is.EqualTo("SBQQ__BillingFrequency__c"));
            Assert.That(paths, Has.None.StartsWith("blng__"), "the default profile is for orgs without Salesforce Billing");
            Assert.That(profile.WriteBack.Invoice.ExternalIdField, Is.EqualTo("Connector_Invoice_Key__c"));
        }
    }

    [Test]
    public void Parse_UnknownKey_ReportsFileLineAndColumn()
    {
        var yaml = MappingProfileLoaderTestsData.Default.Replace("defaults:", "defaultz:", StringComparison.Ordinal);

        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "my-mapping.yaml"));

        Assert.That(ex!.Problems.Single(), Does.Match(@"^my-mapping\.yaml:\d+:\d+: .*defaultz"));
    }

    [Test]
    public void Parse_SeveralProblems_ReportsThemAllWithSuggestions()
    {
        // Arrange: a misspelt input, a value-map target that is not an enum value, an unknown fact, a missing required input.
        var yaml = MappingProfileLoaderTestsData.Default
            .Replace("      billingFrequency: SBQQ__BillingFrequency__c", "      billingFrequncy: SBQQ__BillingFrequency__c", StringComparison.Ordinal)
            .Replace("    Annual: Annual", "    Annual: Anual", StringComparison.Ordinal)
            .Replace("Connector_Total_Amount__c: total", "Connector_Total_Amount__c: totl", StringComparison.Ordinal)
            .Replace("      unitPrice: UnitPrice\n", "", StringComparison.Ordinal);

        // Act
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "m.yaml"));

        // Assert
        Assert.That(ex!.Problems, Is.EquivalentTo(new[]
        {
            "sources.orderItem.fields.billingFrequncy: unknown billing input (did you mean 'billingFrequency'?).",
            "sources.orderItem.fields.unitPrice: required, but not mapped.",
            "valueMaps.billingFrequency.Annual = 'Anual': not one of Monthly, Quarterly, Semiannual, Annual (did you mean 'Annual'?).",
            ex.Problems.Single(p => p.StartsWith("writeBack.invoice.fields.Connector_Total_Amount__c = 'totl': unknown billing fact (did you mean 'total'?)", StringComparison.Ordinal)),
        }));
    }

    [Test]
    public void Parse_WrongVersionAndBadDefaults_Reported()
    {
        var yaml = MappingProfileLoaderTestsData.Default
            .Replace("version: 1", "version: 2", StringComparison.Ordinal)
            .Replace("currency: EUR", "currency: EURO", StringComparison.Ordinal);

        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Parse(yaml, "m.yaml"));

        Assert.That(ex!.Problems, Is.EquivalentTo(new[]
        {
            "version = 2: only version 1 is supported.",
            "defaults.currency = 'EURO': not a supported ISO 4217 code.",
        }));
    }

    [Test]
    public void Load_MissingFile_NamesTheSettingAndThePath()
    {
        var ex = Assert.Throws<MappingProfileException>(() => MappingProfileLoader.Load("/nowhere/mapping.yaml"));

        Assert.That(ex!.Problems.Single(), Is.EqualTo("Connector:Mapping:Path = '/nowhere/mapping.yaml': no such file."));
    }
}

internal static class MappingProfileLoaderTestsData
{
    public static string Default { get; } = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "profiles", MappingProfileLoader.DefaultProfileName)).ReplaceLineEndings("\n");
}
