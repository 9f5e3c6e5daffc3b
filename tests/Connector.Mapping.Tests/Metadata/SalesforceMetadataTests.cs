using System.Xml.Linq;
using Connector.Mapping.Profile;
using Connector.Sandbox.Data;

namespace Connector.Mapping.Tests.Metadata;

/// <summary>
/// deploy/salesforce is what an admin deploys so the default profile's write-back has somewhere to go. These tests
/// keep it, the profile and the sandbox org (which imitates an org where it is deployed) in agreement.
/// </summary>
[TestFixture]
public sealed class SalesforceMetadataTests
{
    private static readonly XNamespace Md = "http://soap.sforce.com/2006/04/metadata";
    private static readonly string Root = Repository.File("deploy", "salesforce", "force-app", "main", "default");
    private static readonly SandboxSchema Org = SandboxSchema.CpqWithoutBilling();
    private static readonly MappingProfile Profile = MappingProfileLoader.LoadDefault();

    public static IEnumerable<TestCaseData> MetadataFiles() =>
        Directory.EnumerateFiles(Repository.File("deploy", "salesforce"), "*.xml", SearchOption.AllDirectories)
            .Select(f => new TestCaseData(f).SetName("Xml_" + Path.GetFileName(f).Replace(' ', '_') + "_IsWellFormedMetadata"));

    [TestCaseSource(nameof(MetadataFiles))]
    public void MetadataFile_Parsed_IsWellFormedInTheMetadataNamespace(string path)
    {
        var document = XDocument.Load(path);

        Assert.That(document.Root!.Name.Namespace, Is.EqualTo(Md));
    }

    [Test]
    public void DefaultProfile_EveryFieldItReadsOrWrites_ExistsInTheMetadataOrTheStandardAndCpqSchema()
    {
        // Arrange
        var missing = new List<string>();
        var used = Profile.Sources.Values.SelectMany(s => s.Fields.Values.SelectMany(f => f.Paths.Select(p => Resolve(s.Object, p))))
            .Concat(Profile.WriteBack.Values.SelectMany(t => t.Fields.Keys.Append(t.ExternalIdField).OfType<string>().Select(f => (t.Object, f))))
            .Append(("ContentVersion", Profile.ContentKeyField))
            .Distinct();

        // Act
        foreach (var (obj, field) in used)
        {
            var ours = field.EndsWith("__c", StringComparison.Ordinal) && !field.StartsWith("SBQQ__", StringComparison.Ordinal);
            var exists = ours
                ? File.Exists(FieldFile(obj, field)) || (field == "Name" && File.Exists(ObjectFile(obj)))
                : Org.Find(obj)?.FieldName(field) is not null && !field.StartsWith("blng__", StringComparison.Ordinal);
            if (!exists)
            {
                missing.Add($"{obj}.{field}");
            }
        }

        // Assert
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void ConnectorFields_InTheMetadata_MatchWhatTheSandboxOrgDescribes()
    {
        var mismatches = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Root, "*.field-meta.xml", SearchOption.AllDirectories))
        {
            var obj = Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(file)))!;
            var xml = XDocument.Load(file).Root!;
            var name = xml.Element(Md + "fullName")!.Value;
            var described = Org.Find(obj)?.Field(name);
            var type = xml.Element(Md + "type")!.Value switch
            {
                "Text" => "string",
                "Date" => "date",
                "Currency" => "currency",
                "Picklist" => "picklist",
                "Lookup" => "reference",
                "Url" => "url",
                "Number" => "double",
                "LongTextArea" => "textarea",
                "Checkbox" => "boolean",
                var other => other,
            };
            var values = xml.Descendants(Md + "value").Select(v => v.Element(Md + "fullName")!.Value).ToList();
            if (described is null
                || described.Type != type
                || (type == "picklist" && (!described.PicklistValues.SequenceEqual(values) || !described.RestrictedPicklist))
                || (type == "reference" && described.ReferenceTo != xml.Element(Md + "referenceTo")!.Value)
                || described.ExternalId != (xml.Element(Md + "externalId")?.Value == "true"))
            {
                mismatches.Add($"{obj}.{name}: metadata {type} [{string.Join("|", values)}], sandbox {described?.Type ?? "missing"} [{string.Join("|", described?.PicklistValues ?? [])}]");
            }
        }

        Assert.That(mismatches, Is.Empty);
    }

    [Test]
    public void IntegrationPermissionSet_GrantsEditOnEveryFieldTheProfileWrites()
    {
        var permissionSet = XDocument.Load(Path.Combine(Root, "permissionsets", "Connector_Integration.permissionset-meta.xml")).Root!;
        var editable = permissionSet.Elements(Md + "fieldPermissions")
            .Where(p => p.Element(Md + "editable")!.Value == "true")
            .Select(p => p.Element(Md + "field")!.Value).ToHashSet(StringComparer.Ordinal);
        var invoiceObject = permissionSet.Elements(Md + "objectPermissions").Single(p => p.Element(Md + "object")!.Value == Profile.InvoiceTarget.Object);

        var written = Profile.WriteBack.Values.SelectMany(t => t.Fields.Keys.Select(f => $"{t.Object}.{f}"))
            .Append($"ContentVersion.{Profile.ContentKeyField}")
            .Where(f => !f.EndsWith(".Name", StringComparison.Ordinal)); // Name has no field-level security

        using (Assert.EnterMultipleScope())
        {
            Assert.That(written.Where(f => !editable.Contains(f)), Is.Empty);
            Assert.That(invoiceObject.Element(Md + "allowCreate")!.Value, Is.EqualTo("true"));
            Assert.That(invoiceObject.Element(Md + "allowEdit")!.Value, Is.EqualTo("true"));
            Assert.That(invoiceObject.Element(Md + "allowDelete")!.Value, Is.EqualTo("false"));
        }
    }

    [Test]
    public void InvoiceObject_ExternalIdAndLookups_LetSalesUsersSeeInvoicesOnAccountAndOrder()
    {
        var key = XDocument.Load(FieldFile(Profile.InvoiceTarget.Object, Profile.InvoiceTarget.ExternalIdField!)).Root!;
        var lookups = Directory.EnumerateFiles(Path.Combine(Root, "objects", Profile.InvoiceTarget.Object, "fields"))
            .Select(f => XDocument.Load(f).Root!)
            .Where(f => f.Element(Md + "type")!.Value == "Lookup")
            .ToDictionary(f => f.Element(Md + "referenceTo")!.Value, f => f.Element(Md + "relationshipLabel")!.Value);
        var compact = XDocument.Load(Path.Combine(Root, "objects", Profile.InvoiceTarget.Object, "compactLayouts", "Connector_Invoice_Compact.compactLayout-meta.xml")).Root!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.Element(Md + "externalId")!.Value, Is.EqualTo("true"));
            Assert.That(key.Element(Md + "unique")!.Value, Is.EqualTo("true"));
            Assert.That(lookups, Is.EquivalentTo(new Dictionary<string, string> { ["Account"] = "Invoices", ["Order"] = "Invoices" }));
            Assert.That(compact.Elements(Md + "fields").Select(f => f.Value).Where(f => f != "Name" && !File.Exists(FieldFile(Profile.InvoiceTarget.Object, f))), Is.Empty);
        }
    }

    private static (string Object, string Field) Resolve(string obj, string path)
    {
        var parts = path.Split('.');
        var current = Org.Find(obj)!;
        foreach (var part in parts[..^1])
        {
            current = Org.Find(current.FindRelationship(part)!.TargetObject)!;
        }

        return (current.Name, parts[^1]);
    }

    private static string FieldFile(string obj, string field) => Path.Combine(Root, "objects", obj, "fields", field + ".field-meta.xml");

    private static string ObjectFile(string obj) => Path.Combine(Root, "objects", obj, obj + ".object-meta.xml");
}
