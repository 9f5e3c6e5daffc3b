using Connector.Sync.Cycles;
using System.Text;
using Connector.Invoicing.Documents;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.EndToEnd.Tests;

/// <summary>An invoice's PDF rendered again differently (a layout fixed by an upgrade) reaches the org as a new version of its file.</summary>
[TestFixture]
public sealed class DocumentVersionTests
{
    private static readonly Dictionary<string, string?> Quiet = new() { ["Logging:LogLevel:Default"] = "Warning" };

    [Test, CancelAfter(120_000)]
    public async Task Cycle_PdfRenderedAgainTwice_OrgGetsTheLastAsANewVersionOfTheSameFileAndTheLinkFollows(CancellationToken cancellationToken)
    {
        // Arrange: a first cycle uploads the three invoices' PDFs.
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(Quiet, cancellationToken);
        var cycle = host.Services.GetRequiredService<SyncCycle>();
        await cycle.RunAsync(cancellationToken);
        var invoice = (await host.Services.GetRequiredService<InvoiceStore>().FindByNumberAsync("INV-000001", cancellationToken))!;
        var documents = host.Services.GetRequiredService<DocumentStore>();
        var original = PdfRenderer.Render(invoice);
        var first = sandbox.Org.Data.All("ContentVersion").Single(v => v["Connector_Content_Key__c"]!.GetValue<string>().StartsWith("INV-000001:", StringComparison.Ordinal));

        // Act: two new renderings before the next write-back (a renderer of a later version, imitated by a trailing
        // comment, which PDF readers ignore); only the last is current.
        byte[] Rendering(int version) => [.. original, .. Encoding.ASCII.GetBytes($"\n% layout {version}\n")];
        var replacedOnce = await documents.ReplaceAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", Rendering(2), cancellationToken);
        await documents.ReplaceAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", Rendering(3), cancellationToken);
        var report = await cycle.RunAsync(cancellationToken);

        // Assert
        var versions = sandbox.Org.Data.All("ContentVersion").Where(v => v["ContentDocumentId"]!.GetValue<string>() == first["ContentDocumentId"]!.GetValue<string>()).ToList();
        var latest = versions.Single(v => v["IsLatest"]!.GetValue<bool>());
        var record = sandbox.Org.Data.FindBy("Connector_Invoice__c", "Connector_Invoice_Key__c", "INV-000001")!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replacedOnce, Is.True);
            Assert.That(report.WriteBackFailures, Is.Empty);
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo((3 * OrgFiles.PerDocument) + 1), "three documents' PDF and UBL files, one PDF with a second version");
            Assert.That(versions, Has.Count.EqualTo(2));
            Assert.That(sandbox.Org.FileContent(latest["Id"]!.GetValue<string>()), Is.EqualTo(Rendering(3)));
            Assert.That(latest["FirstPublishLocationId"]!.GetValue<string>(), Is.EqualTo(record["Id"]!.GetValue<string>()), "the file stays on its invoice record");
            Assert.That(record["Connector_PDF_Link__c"]!.GetValue<string>(), Does.EndWith(latest["Id"]!.GetValue<string>()));
        }
    }

    [Test, CancelAfter(120_000)]
    public async Task Rerender_SameLayout_ChangesNothing(CancellationToken cancellationToken)
    {
        using var sandbox = new SandboxHarness();
        using var host = await sandbox.PreparedHostAsync(Quiet, cancellationToken);
        await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        var outcomes = await host.Services.GetRequiredService<DocumentRenderer>().RerenderAsync(["INV-000002", "INV-999999"], cancellationToken);
        var next = await host.Services.GetRequiredService<SyncCycle>().RunAsync(cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(outcomes, Is.EqualTo(new[] { ("INV-000002", RerenderOutcome.Unchanged), ("INV-999999", RerenderOutcome.NoSuchInvoice) }));
            Assert.That(next.WrittenBack.ContainsKey("ContentVersion"), Is.False);
            Assert.That(sandbox.Org.Data.All("ContentVersion"), Has.Count.EqualTo(3 * OrgFiles.PerDocument));
        }
    }
}
