using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;
using Connector.Invoicing.VeriFactu;

namespace Connector.Sync.Tests.Storage;

/// <summary>VERI*FACTU records written with the documents they register, chained per issuer, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task RunAsync_EntityWithVeriFactu_RegistersEveryInvoiceAndCreditNoteInOneChainThatVerifies()
    {
        // Arrange: two accounts billed by a Spanish entity with VERI*FACTU on; then one line ends early (a credit note).
        var options = VeriFactuEntity(veriFactu: true);
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTax(21m).Build());
        var ledger = new VeriFactuLedger(_db.Database, _time, new VeriFactuOptions());
        var invoices = (await Runner(options, ledger).RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices;
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 19), termMonths: 12).Build());

        // Act
        var notes = (await Runner(options, ledger).RunAsync(Today, dryRun: false, CancellationToken.None)).CreditNotes;
        var chain = await ledger.ChainAsync("B87654321", CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Select(r => (r.Sequence, r.Number)), Is.EqualTo(invoices.Select(i => i.Number).Concat(notes.Select(n => n.Number)).Select((n, i) => ((long)i + 1, n))),
                "one record per document, in posting order");
            Assert.That(ChainVerifier.Verify("B87654321", chain).FirstBreak, Is.Null);
            Assert.That(chain.Select(r => r.Status).Distinct(), Is.EqualTo(new[] { RecordStatus.Pending }));
            Assert.That(chain[^1].Xml, Does.Contain("<sum1:TipoFactura>R1</sum1:TipoFactura>"));
            Assert.That(await ledger.IssuersAsync(CancellationToken.None), Is.EqualTo(new[] { "B87654321" }));
        }
    }

    [Test]
    public async Task RunAsync_EntityWithoutVeriFactu_KeepsNoRecords()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        var ledger = new VeriFactuLedger(_db.Database, _time, new VeriFactuOptions());

        var run = await Runner(VeriFactuEntity(veriFactu: false), ledger).RunAsync(Today, dryRun: false, CancellationToken.None);

        Assert.That(run.Invoices, Has.Count.EqualTo(1));
        Assert.That(await ledger.IssuersAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task MarkAsync_AeatsAnswer_IsKeptWhileTheRecordStaysAsWritten()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        var ledger = new VeriFactuLedger(_db.Database, _time, new VeriFactuOptions());
        await Runner(VeriFactuEntity(veriFactu: true), ledger).RunAsync(Today, dryRun: false, CancellationToken.None);
        var pending = await ledger.PendingAsync(CancellationToken.None);

        await ledger.MarkAsync([(pending[0].Id, RecordStatus.Rejected, "4102: El XML no cumple el esquema")], CancellationToken.None);

        var stored = (await ledger.ChainAsync("B87654321", CancellationToken.None)).Single();
        Assert.That((stored.Status, stored.Answer, stored.Xml, stored.Huella), Is.EqualTo((RecordStatus.Rejected, "4102: El XML no cumple el esquema", pending[0].Xml, pending[0].Huella)));
        Assert.That(await ledger.PendingAsync(CancellationToken.None), Is.Empty);
    }

    [Test]
    public async Task RenderPending_EntityWithVeriFactu_PrintsTheQrOnRegisteredDocumentsOnly()
    {
        // Arrange: one invoice posted while VERI*FACTU was off (no record), then it is turned on and another is posted.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        var ledger = new VeriFactuLedger(_db.Database, _time, new VeriFactuOptions());
        var before = (await Runner(VeriFactuEntity(veriFactu: false), ledger).RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTax(21m).Build());
        var after = (await Runner(VeriFactuEntity(veriFactu: true), ledger).RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var renderer = new Connector.Invoicing.Documents.DocumentRenderer(documents, new InvoiceStore(_db.Database),
            Microsoft.Extensions.Options.Options.Create(VeriFactuEntity(veriFactu: true)), Microsoft.Extensions.Options.Options.Create(new VeriFactuOptions()), ledger);

        // Act
        var rendered = new Dictionary<string, string>();
        foreach (var reported in (await renderer.RenderPendingAsync(CancellationToken.None)).Rendered.Where(d => d.Format == Connector.Invoicing.Documents.DocumentFormat.Pdf))
        {
            rendered[reported.FileName] = Text((await documents.GetAsync(reported.Owner, reported.Id, CancellationToken.None))!.Content);
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered[after.Number + ".pdf"], Does.Contain("VERI*FACTU").And.Contain("tributario"), "registered: AEAT can validate it");
            Assert.That(rendered[before.Number + ".pdf"], Does.Not.Contain("VERI*FACTU"), "never registered: a QR would point AEAT at a record that does not exist");
        }

        static string Text(byte[] pdf)
        {
            using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
            return string.Join(" ", document.GetPages().Select(p => p.Text));
        }
    }

    [TestCase("Off")]
    [TestCase("Aeat")]
    public async Task SendPendingAsync_TwoCyclesOneFailing_SendsInChainOrderOnlyWhenOnAndKeepsWhatWasNotAnswered(string sender)
    {
        // Arrange: three records; the fake agency fails the first submission and accepts the second.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTax(21m).Build());
        await SeedOrderAsync("A3", "801C", new LineBuilder().WithId("802C").WithOrder("801C").WithTax(21m).Build());
        var options = new VeriFactuOptions { Sender = sender };
        var ledger = new VeriFactuLedger(_db.Database, _time, options);
        await Runner(VeriFactuEntity(veriFactu: true), ledger).RunAsync(Today, dryRun: false, CancellationToken.None);
        var agency = new FakeAgency();
        var submission = new VeriFactuSubmission(ledger, agency, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(VeriFactuEntity(veriFactu: true)));

        // Act
        var first = await submission.SendPendingAsync(CancellationToken.None);
        var second = await submission.SendPendingAsync(CancellationToken.None);

        // Assert
        var chain = await ledger.ChainAsync("B87654321", CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            if (sender == "Off")
            {
                Assert.That(agency.Submissions, Is.Empty, "sending is off by default");
                Assert.That(chain.Select(r => r.Status).Distinct(), Is.EqualTo(new[] { RecordStatus.Pending }));
                return;
            }

            Assert.That(agency.Submissions.Select(s => (s.Issuer, s.Name, string.Join(",", s.Numbers))), Is.EqualTo(new[]
            {
                ("B87654321", "Ejemplo Software SL", "INV-000001,INV-000002,INV-000003"),
                ("B87654321", "Ejemplo Software SL", "INV-000001,INV-000002,INV-000003"),
            }), "the whole chain in order, again after the failure");
            Assert.That(first.Warnings.Single(), Does.Contain("stay Pending"));
            Assert.That((second.Sent, second.Rejected), Is.EqualTo((3, 1)));
            Assert.That(second.Warnings.Single(), Does.StartWith("INV-000002: AEAT rejected its VERI*FACTU record (1100: NIF"));
            Assert.That(chain.Select(r => r.Status), Is.EqualTo(new[] { RecordStatus.Accepted, RecordStatus.Rejected, RecordStatus.Accepted }));
            Assert.That((await submission.SendPendingAsync(CancellationToken.None)).Sent, Is.Zero, "nothing is sent twice");
        }
    }

    /// <summary>An agency that is down for the first submission, then accepts every record but the second.</summary>
    private sealed class FakeAgency : IVeriFactuSender
    {
        public List<(string Issuer, string Name, string[] Numbers)> Submissions { get; } = [];

        public Task<SubmissionAnswer> SendAsync(string issuerNif, string issuerName, IReadOnlyList<StoredRecord> records, CancellationToken cancellationToken)
        {
            Submissions.Add((issuerNif, issuerName, [.. records.Select(r => r.Number)]));
            return Task.FromResult(Submissions.Count == 1
                ? new SubmissionAnswer([], "AEAT answered HTTP 503")
                : new SubmissionAnswer([.. records.Select((r, i) => i == 1 ? (r.Id, RecordStatus.Rejected, (string?)"1100: NIF") : (r.Id, RecordStatus.Accepted, "Correcto"))], null));
        }
    }

    private static BillingOptions VeriFactuEntity(bool veriFactu) => new()
    {
        LegalEntities = [new() { Key = "ES", Name = "Ejemplo Software SL", TaxId = "B87654321", Country = "ES", InvoiceSeries = "INV", CreditNoteSeries = "CN", VeriFactu = veriFactu }],
    };

    private InvoiceRunner Runner(BillingOptions options, VeriFactuLedger ledger) =>
        new(new BookStore(_db.Database, _time, Microsoft.Extensions.Options.Options.Create(options), Journal(), veriFactu: ledger),
            new BillingClock(_time, Microsoft.Extensions.Options.Options.Create(options)));
}
