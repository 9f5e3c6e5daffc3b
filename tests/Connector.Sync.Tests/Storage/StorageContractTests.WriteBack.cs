using Dapper;
using static Connector.Invoicing.Documents.DocumentFormat;
using Connector.Invoicing.Runs;
using Connector.Mapping.WriteBack;
using Connector.Sync.WriteBack;
using Connector.Invoicing.Storage;
using Connector.Invoicing.Tests.Schedules;

namespace Connector.Sync.Tests.Storage;

/// <summary>The outbox, remote ids and documents, on every engine.</summary>
public abstract partial class StorageContractTests
{
    [Test]
    public async Task PostAsync_Invoice_QueuesInvoiceAndOrderFactsInTheSameTransaction()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);

        var pending = await new OutboxStore(_db.Database, _time).PendingAsync(100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(pending.Select(p => (p.Topic, p.EntityKey)), Is.EqualTo(new[] { (OutboxTopics.Invoice, "INV-000001"), (OutboxTopics.Account, "A1"), (OutboxTopics.Order, "801A") }));
            var invoice = OutboxJson.Deserialize<InvoiceFacts>(pending[0].Payload);
            Assert.That((invoice.Total, invoice.OrderId, invoice.DueDate, invoice.Balance, invoice.PaymentStatus), Is.EqualTo((300.00m, "801A", Today.AddDays(30), 300.00m, "Unpaid")));
            var account = OutboxJson.Deserialize<AccountFacts>(pending[1].Payload);
            Assert.That((account.Balance, account.Overdue, account.AvailableCredit), Is.EqualTo((300.00m, 0m, 0m)));
            var order = OutboxJson.Deserialize<OrderFacts>(pending[2].Payload);
            Assert.That(order.BilledThrough, Is.EqualTo(new DateOnly(2026, 3, 31)));
        }
    }

    [Test]
    public async Task RunAsync_AnInvoicePassesItsDueDate_QueuesItsOverdueFactsOnceWithoutAnyOtherChange()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTerm(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 31), termMonths: 1).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        await outbox.CompleteManyAsync([.. (await outbox.PendingAsync(100, CancellationToken.None)).Select(p => p.Id)], CancellationToken.None);

        await Runner().RunAsync(Today.AddDays(10), dryRun: false, CancellationToken.None);
        var beforeDue = await outbox.PendingAsync(100, CancellationToken.None);
        _time.Advance(TimeSpan.FromDays(31)); // due date 2026-04-14 has passed
        await Runner().RunAsync(Today.AddDays(31), dryRun: false, CancellationToken.None);
        var afterDue = await outbox.PendingAsync(100, CancellationToken.None);
        await outbox.CompleteManyAsync([.. afterDue.Select(p => p.Id)], CancellationToken.None);
        await Runner().RunAsync(Today.AddDays(31), dryRun: false, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeDue, Is.Empty, "nothing changed");
            Assert.That(afterDue.Select(p => (p.Topic, p.EntityKey)), Is.EquivalentTo(new[] { (OutboxTopics.Invoice, "INV-000001"), (OutboxTopics.Account, "A1") }));
            Assert.That(OutboxJson.Deserialize<InvoiceFacts>(afterDue.Single(p => p.Topic == OutboxTopics.Invoice).Payload).PaymentStatus, Is.EqualTo("Overdue"));
            Assert.That(OutboxJson.Deserialize<AccountFacts>(afterDue.Single(p => p.Topic == OutboxTopics.Account).Payload).Overdue, Is.EqualTo(1200.00m), "a one-month term of 1,200.00");
            Assert.That(await outbox.PendingAsync(100, CancellationToken.None), Is.Empty, "queued once");
        }
    }

    [Test]
    public async Task RunAsync_InvoicesTurnOverdue_TheirFactsNameTheOrderTheHeaderKept_OrNoneForTwoOrders()
    {
        // Arrange: A1's invoice bills one order; A2's bills two.
        var term = (Start: new DateOnly(2026, 3, 1), End: new DateOnly(2026, 3, 31));
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTerm(term.Start, term.End, termMonths: 1).Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").WithTerm(term.Start, term.End, termMonths: 1).Build());
        await SeedOrderAsync("A2", "801C", new LineBuilder().WithId("802C").WithOrder("801C").WithTerm(term.Start, term.End, termMonths: 1).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        await outbox.CompleteManyAsync([.. (await outbox.PendingAsync(100, CancellationToken.None)).Select(p => p.Id)], CancellationToken.None);

        // Act: a later run, after the due dates, loads the invoices without their lines and queues their overdue facts.
        _time.Advance(TimeSpan.FromDays(31));
        await Runner().RunAsync(Today.AddDays(31), dryRun: false, CancellationToken.None);
        var overdue = (await outbox.PendingAsync(100, CancellationToken.None)).Where(p => p.Topic == OutboxTopics.Invoice)
            .Select(p => OutboxJson.Deserialize<InvoiceFacts>(p.Payload)).ToDictionary(f => f.AccountId, f => (f.OrderId, f.PaymentStatus));
        await using var connection = await _db.Database.OpenAsync(CancellationToken.None);
        var stored = (await connection.QueryAsync<(string AccountId, string? OrderId)>("SELECT account_id, order_id FROM invoice")).ToDictionary(r => r.AccountId, r => r.OrderId);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(stored, Is.EqualTo(new Dictionary<string, string?> { ["A1"] = "801A", ["A2"] = null }), "one invoice each; the header keeps an only order");
            Assert.That(overdue, Is.EqualTo(new Dictionary<string, (string?, string)> { ["A1"] = ("801A", "Overdue"), ["A2"] = (null, "Overdue") }));
        }
    }

    [Test]
    public async Task Outbox_FailedThenCompleted_LeavesPendingOnlyWhenDue()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var pending = await outbox.PendingAsync(100, CancellationToken.None);

        await outbox.StartAttemptAsync([pending[0].Id], CancellationToken.None); // an attempt a crash cut short
        await outbox.StartAttemptAsync([pending[0].Id], CancellationToken.None);
        await outbox.FailAsync(pending[0].Id, "UNABLE_TO_LOCK_ROW", TimeSpan.FromMinutes(1), permanent: false, CancellationToken.None);
        await outbox.CompleteManyAsync([.. pending.Skip(1).Select(p => p.Id)], CancellationToken.None);
        var duringBackoff = await outbox.PendingAsync(100, CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(2));
        var afterBackoff = await outbox.PendingAsync(100, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(duringBackoff, Is.Empty);
            Assert.That((afterBackoff.Single().Attempts, afterBackoff.Single().Failures), Is.EqualTo((2, 1)), "started and failed attempts are counted apart");
            Assert.That((await outbox.RetriesAsync(CancellationToken.None)).Count, Is.EqualTo(1));
            Assert.That(await outbox.CountByStatusAsync(CancellationToken.None), Is.EquivalentTo(new Dictionary<string, int> { ["Pending"] = 1, ["Done"] = pending.Count - 1 }));
        }
    }

    [Test]
    public async Task DocumentStore_SecondDocumentForAnInvoice_IsRefusedAndTheFirstKept()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());

        var first = await documents.AddAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var second = await documents.AddAsync(invoice.Id, invoice.Number, "b.pdf", "application/pdf", [4, 5, 6], CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Null);
            Assert.That((await documents.GetAsync(first!.Id, CancellationToken.None))!.Content, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(first.ContentHash, Is.EqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"));
            Assert.That(await documents.InvoicesWithoutDocumentAsync(CancellationToken.None), Is.Empty);
        }
    }

    [Test]
    public async Task DocumentStore_ReplaceWithOtherBytes_StoresThemAndQueuesANewVersionSameBytesChangeNothing()
    {
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        var invoice = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var first = await documents.AddAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var before = (await outbox.PendingAsync(100, CancellationToken.None)).Count(m => m.Topic == OutboxTopics.Document);

        var same = await documents.ReplaceAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [1, 2, 3], CancellationToken.None);
        var changed = await documents.ReplaceAsync(invoice.Id, invoice.Number, "a.pdf", "application/pdf", [7, 8, 9], CancellationToken.None);

        var facts = (await outbox.PendingAsync(100, CancellationToken.None)).Where(m => m.Topic == OutboxTopics.Document).Select(m => OutboxJson.Deserialize<DocumentFacts>(m.Payload)).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That((same, changed), Is.EqualTo((false, true)));
            Assert.That((await documents.GetAsync(first!.Id, CancellationToken.None))!.Content, Is.EqualTo(new byte[] { 7, 8, 9 }));
            Assert.That(facts, Has.Count.EqualTo(before + 1));
            Assert.That(facts[^1].ReplacesContentHash, Is.EqualTo(first.ContentHash));
            Assert.That(facts[^1].ContentHash, Is.Not.EqualTo(first.ContentHash));
        }
    }

    [Test]
    public async Task Settle_DoneIdsAndFollowUp_LandTogetherOrNotAtAll()
    {
        // Arrange: the outbox rows of a posted invoice.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        var outbox = new OutboxStore(_db.Database, _time);
        var pending = await outbox.PendingAsync(100, CancellationToken.None);
        var first = pending[0];

        // Act 1: a settlement that fails part-way (its follow-up cannot be stored) leaves nothing behind.
        var broken = new OutboxSettlement([first.Id], "ContentVersion", [(first.EntityKey, "068000000000001AAA")], [(OutboxTopics.FileLink, first.EntityKey, null!)]);
        await Assert.CatchAsync<Exception>(async () => await outbox.SettleAsync(broken, CancellationToken.None));
        var afterFailure = await outbox.PendingAsync(100, CancellationToken.None);
        var idsAfterFailure = await outbox.FindRemoteIdsAsync("ContentVersion", [first.EntityKey], CancellationToken.None);

        // Act 2: the same settlement, whole.
        await outbox.SettleAsync(broken with { FollowUps = [(OutboxTopics.FileLink, first.EntityKey, "{}")] }, CancellationToken.None);
        var afterSettle = await outbox.PendingAsync(100, CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterFailure.Select(m => m.Id), Is.EqualTo(pending.Select(m => m.Id)), "the row is still pending");
            Assert.That(idsAfterFailure, Is.Empty, "no id was kept");
            Assert.That(afterSettle.Select(m => m.Id), Does.Not.Contain(first.Id));
            Assert.That(afterSettle.Where(m => m.Topic == OutboxTopics.FileLink).Select(m => m.EntityKey), Is.EqualTo(new[] { first.EntityKey }), "the follow-up is queued");
            Assert.That(await outbox.FindRemoteIdsAsync("ContentVersion", [first.EntityKey], CancellationToken.None), Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task RenderPending_OneInvoiceThatCannotBeDrawn_TheOthersAreRenderedAndItIsTriedAgain()
    {
        // Arrange: two posted invoices; drawing the second fails.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices;
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var invoices = new InvoiceStore(_db.Database);
        var broken = new Connector.Invoicing.Documents.DocumentRenderer(documents, invoices,
            i => i.Number == posted[1].Number ? throw new InvalidOperationException("glyph table corrupt") : Connector.Invoicing.Documents.PdfRenderer.Render(i));

        // Act
        var first = await broken.RenderPendingAsync(CancellationToken.None);
        var second = await new Connector.Invoicing.Documents.DocumentRenderer(documents, invoices).RenderPendingAsync(CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Rendered.Where(d => d.Format == Pdf).Select(d => d.OwnerId), Is.EqualTo(new[] { posted[0].Id }));
            Assert.That(first.Rendered.Where(d => d.Format == Ubl).Select(d => d.OwnerId), Is.EqualTo(new[] { posted[0].Id, posted[1].Id }), "a PDF that cannot be drawn does not hold the UBL file back");
            Assert.That(first.Failed, Is.EqualTo(new[] { (posted[1].Number, "InvalidOperationException: glyph table corrupt") }));
            Assert.That(first.Warnings(), Has.One.StartsWith($"{posted[1].Number}: its PDF could not be drawn"));
            Assert.That(second.Rendered.Select(d => (d.OwnerId, d.Format)), Is.EqualTo(new[] { (posted[1].Id, Pdf) }), "tried again, once");
        }
    }

    [Test]
    public async Task RenderPending_TwoInvoicesOnTwoCores_AreDrawnAtTheSameTimeAndStoredInOrder()
    {
        Assume.That(Environment.ProcessorCount, Is.GreaterThanOrEqualTo(2), "drawing at once needs two cores");

        // Arrange: two posted invoices; each drawing waits (up to 10 s) until the other has started.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").Build());
        await SeedOrderAsync("A2", "801B", new LineBuilder().WithId("802B").WithOrder("801B").Build());
        var posted = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).Invoices;
        using var bothDrawing = new Barrier(2);
        var renderer = new Connector.Invoicing.Documents.DocumentRenderer(new DocumentStore(_db.Database, _time, Journal()), new InvoiceStore(_db.Database), i =>
            bothDrawing.SignalAndWait(TimeSpan.FromSeconds(10)) ? Connector.Invoicing.Documents.PdfRenderer.Render(i) : throw new TimeoutException("drawn one at a time"));

        // Act
        var result = await renderer.RenderPendingAsync(CancellationToken.None);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.Empty);
            Assert.That(result.Rendered.Where(d => d.Format == Pdf).Select(d => d.OwnerId), Is.EqualTo(posted.Select(i => i.Id)));
        }
    }

    [Test]
    public async Task RenderPending_PostedCreditNote_GetsItsOwnPdfInTheBuyersLanguageOnceAndQueuesItsUpload()
    {
        // Arrange: an invoice for a Spanish account, then the line ends early: a credit note against it.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).Build());
        await Runner().RunAsync(Today, dryRun: false, CancellationToken.None);
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").WithTax(21m).WithTerm(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 19), termMonths: 12).Build());
        var note = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).CreditNotes.Single();
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var renderer = new Connector.Invoicing.Documents.DocumentRenderer(documents, new InvoiceStore(_db.Database));

        // Act
        var first = await renderer.RenderPendingAsync(CancellationToken.None);
        var second = await renderer.RenderPendingAsync(CancellationToken.None);
        var listed = await documents.ListAsync(CancellationToken.None);
        var outbox = await new OutboxStore(_db.Database, _time).PendingAsync(100, CancellationToken.None);

        // Assert
        var stored = await ContentOfAsync(documents, first.Rendered.Single(d => d.Owner == Connector.Invoicing.Documents.DocumentOwner.CreditNote && d.Format == Pdf));
        var ubl = await ContentOfAsync(documents, first.Rendered.Single(d => d.Owner == Connector.Invoicing.Documents.DocumentOwner.CreditNote && d.Format == Ubl));
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(stored.Content);
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Rendered, Has.Count.EqualTo(4), "the invoice's PDF and UBL file, and the credit note's");
            Assert.That(System.Text.Encoding.UTF8.GetString(ubl.Content), Does.Contain("<CreditNote ").And.Contain("<cbc:ID>INV-000001</cbc:ID>"), "the UBL credit note names the invoice it corrects (BT-25)");
            Assert.That(stored.FileName, Is.EqualTo($"{note.Number}.pdf"));
            Assert.That(text, Does.Contain("FACTURA RECTIFICATIVA").And.Contain("INV-000001").And.Contain("46,84 €"), "in Spanish: the account's billing country is ES");
            Assert.That(second.Rendered, Is.Empty, "stored once");
            Assert.That(listed.Select(d => (d.FileName, d.Owner)), Is.EquivalentTo(new[]
            {
                ("INV-000001.pdf", Connector.Invoicing.Documents.DocumentOwner.Invoice), ($"{note.Number}.pdf", Connector.Invoicing.Documents.DocumentOwner.CreditNote),
                ("INV-000001.xml", Connector.Invoicing.Documents.DocumentOwner.Invoice), ($"{note.Number}.xml", Connector.Invoicing.Documents.DocumentOwner.CreditNote),
            }));
            Assert.That((await documents.GetAsync(Connector.Invoicing.Documents.DocumentOwner.CreditNote, ubl.Id, CancellationToken.None, Ubl))?.Content, Is.EqualTo(ubl.Content));
            Assert.That((await documents.GetAsync(Connector.Invoicing.Documents.DocumentOwner.CreditNote, stored.Id, CancellationToken.None))?.ContentHash, Is.EqualTo(stored.ContentHash));
            Assert.That(outbox.Where(m => m.Topic == OutboxTopics.Document).Select(m => m.EntityKey), Is.EquivalentTo(new[] { "INV-000001", note.Number, "INV-000001", note.Number }), "the four uploads are queued");
        }
    }

    [Test]
    public async Task RenderPending_AccountCreditNote_PrintsTheStoredAccountAndTheIssuingEntity()
    {
        // Arrange: a discount larger than the charges: the run posts a credit note for the account, correcting no invoice.
        await SeedOrderAsync("A1", "801A", new LineBuilder().WithId("802A").WithOrder("801A").OneTime(100m).Build(),
            new LineBuilder().WithId("802B").WithOrder("801A").OneTime(-250m).Build());
        var note = (await Runner().RunAsync(Today, dryRun: false, CancellationToken.None)).CreditNotes.Single();
        var options = new BillingOptions
        {
            LegalEntities = [new() { Key = "ES", Name = "Ejemplo Software SL", TaxId = "B87654321", InvoiceSeries = "INV", CreditNoteSeries = "CN" }],
        };
        var documents = new DocumentStore(_db.Database, _time, Journal());
        var renderer = new Connector.Invoicing.Documents.DocumentRenderer(documents, new InvoiceStore(_db.Database), Microsoft.Extensions.Options.Options.Create(options));

        // Act
        var rendered = (await renderer.RenderPendingAsync(CancellationToken.None)).Rendered;
        var stored = await ContentOfAsync(documents, rendered.Single(d => d.Format == Pdf));
        var ubl = System.Text.Encoding.UTF8.GetString((await ContentOfAsync(documents, rendered.Single(d => d.Format == Ubl))).Content);

        // Assert
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(stored.Content);
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(note.CorrectsNumber, Is.Null);
            Assert.That(stored.FileName, Is.EqualTo(note.Number + ".pdf"));
            Assert.That(text, Does.Contain("FACTURA RECTIFICATIVA").And.Contain("Account A1").And.Contain("Ejemplo Software SL").And.Contain("B87654321"));
            Assert.That(ubl, Does.Contain("<cbc:RegistrationName>Ejemplo Software SL</cbc:RegistrationName>").And.Not.Contain("BillingReference"), "an account credit note corrects no invoice");
        }
    }

    /// <summary>A rendering pass reports what it stored without the bytes; the store has them.</summary>
    private static async Task<Connector.Invoicing.Documents.StoredDocument> ContentOfAsync(DocumentStore documents, Connector.Invoicing.Documents.StoredDocument reported)
    {
        Assert.That(reported.Content, Is.Empty, "a pass does not hold what it stored");
        return (await documents.GetAsync(reported.Owner, reported.Id, CancellationToken.None, reported.Format))!;
    }

    [Test]
    public async Task RemoteIds_SavedTwice_KeepsTheLatest()
    {
        var outbox = new OutboxStore(_db.Database, _time);

        await outbox.SettleAsync(new OutboxSettlement([], "Connector_Invoice__c", [("INV-000001", "a0I000000000001AAA"), ("INV-000002", "a0I000000000003AAA")], []), CancellationToken.None);
        await outbox.SettleAsync(new OutboxSettlement([], "Connector_Invoice__c", [("INV-000001", "a0I000000000002AAA")], []), CancellationToken.None);

        Assert.That(await outbox.FindRemoteIdsAsync("Connector_Invoice__c", ["INV-000001", "INV-000002", "INV-000009"], CancellationToken.None),
            Is.EquivalentTo(new Dictionary<string, string> { ["INV-000001"] = "a0I000000000002AAA", ["INV-000002"] = "a0I000000000003AAA" }));
    }
}
