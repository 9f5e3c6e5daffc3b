using Connector.Invoicing.Billing;
using Connector.Invoicing.Runs;
using Connector.Invoicing.Storage;
using Microsoft.Extensions.Options;

namespace Connector.Invoicing.Documents;

/// <summary>
/// Renders the PDF and the UBL file of every posted invoice and credit note that has none yet, stores each once and
/// queues its upload. One document whose file cannot be made never stops the others: it is reported in
/// <see cref="RenderResult.Failed"/> and tried again on the next pass; the document itself is posted and written back regardless.
/// </summary>
internal sealed class DocumentRenderer(DocumentStore documents, InvoiceStore invoices, IOptions<BillingOptions>? options = null,
    IOptions<VeriFactu.VeriFactuOptions>? veriFactu = null, VeriFactu.VeriFactuLedger? registrations = null)
{
    private readonly BookSettings _settings = BookSettings.From(options?.Value ?? new BillingOptions());

    private readonly bool _testQrHost = veriFactu?.Value.TestQrHost ?? true;

    private readonly Func<Invoices.Invoice, RenderedPdf>? _custom;

    /// <summary>For tests: a renderer that draws with <paramref name="render"/>.</summary>
    internal DocumentRenderer(DocumentStore documents, InvoiceStore invoices, Func<Invoices.Invoice, byte[]> render)
        : this(documents, invoices) => _custom = invoice => new RenderedPdf(render(invoice), []);

    private RenderedPdf Draw(PrintedDocument printed) =>
        _custom is not null && printed.Document is Invoices.Invoice invoice ? _custom(invoice) : PdfRenderer.Draw(printed);

    /// <summary>
    /// The document as its issuing entity prints it (by its number's series): its branding, and AEAT's QR code when the
    /// entity has VERI*FACTU on and the document was registered (one posted before it was turned on has no record, so no code).
    /// </summary>
    private async Task<PrintedDocument> BrandedAsync(PrintedDocument printed, CancellationToken cancellationToken)
    {
        var entity = _settings.EntityOf(printed.Document.Number);
        var qr = entity.VeriFactu && registrations is not null && VeriFactu.Nif.Of(printed.Seller.TaxId) is { } nif
            && await registrations.IsRegisteredAsync(nif, printed.Document.Number, cancellationToken)
                ? VeriFactu.QrUrl.For(nif, printed.Document.Number, printed.Document.IssueDate, (printed.IsCreditNote ? -1m : 1m) * printed.Document.Total.Value, _testQrHost)
                : null;
        return printed with { Branding = entity.Branding, VeriFactuQr = qr };
    }

    public async Task<RenderResult> RenderPendingAsync(CancellationToken cancellationToken)
    {
        var pass = new RenderPass();
        foreach (var slice in (await documents.InvoicesWithoutDocumentAsync(cancellationToken)).Chunk(DocumentsPerSlice))
        {
            var printed = new List<(Invoices.Invoice Invoice, PrintedDocument Printed)>();
            foreach (var invoiceId in slice)
            {
                var invoice = await invoices.GetAsync(invoiceId, cancellationToken)
                    ?? throw new InvalidOperationException($"Invoice {invoiceId} disappeared while rendering.");
                printed.Add((invoice, await BrandedAsync(PrintedDocument.Of(invoice), cancellationToken)));
            }

            var pdfs = pass.DrawAll([.. printed.Select(p => p.Printed)], Draw);
            for (var i = 0; i < printed.Count; i++)
            {
                var invoice = printed[i].Invoice;
                if (pdfs[i] is { } pdf && await documents.AddAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", pdf, cancellationToken) is { } stored)
                {
                    pass.Stored(stored);
                }
            }
        }

        foreach (var slice in (await documents.CreditNotesWithoutDocumentAsync(cancellationToken)).Chunk(DocumentsPerSlice))
        {
            var printed = new List<(long Id, PrintedDocument Printed)>();
            foreach (var noteId in slice)
            {
                var note = await invoices.GetCreditNoteAsync(noteId, number => _settings.EntityOf(number).Seller, _settings.DocumentLanguage, cancellationToken)
                    ?? throw new InvalidOperationException($"Credit note {noteId} disappeared while rendering.");
                printed.Add((noteId, await BrandedAsync(note, cancellationToken)));
            }

            var pdfs = pass.DrawAll([.. printed.Select(p => p.Printed)], Draw);
            for (var i = 0; i < printed.Count; i++)
            {
                var document = printed[i].Printed.Document;
                if (pdfs[i] is { } pdf && await documents.AddCreditNoteAsync(printed[i].Id, document.Number, PdfRenderer.FileName(document), "application/pdf", pdf, cancellationToken) is { } stored)
                {
                    pass.Stored(stored);
                }
            }
        }

        await WriteEInvoicesAsync(pass, cancellationToken);
        return new RenderResult(pass.Rendered, pass.Failed, pass.Replaced) { Incomplete = pass.Incomplete, UblFailed = pass.UblFailed };
    }

    /// <summary>
    /// Documents read, drawn and stored together: drawn on every core at once (pure work, no I/O), then stored one by one,
    /// in order. Bounds what a pass holds in memory however many documents wait.
    /// </summary>
    internal const int DocumentsPerSlice = 64;

    /// <summary>The UBL file of every document that has none: written once from the posted document, never replaced.</summary>
    private async Task WriteEInvoicesAsync(RenderPass pass, CancellationToken cancellationToken)
    {
        foreach (var slice in (await documents.WithoutEInvoiceAsync(DocumentOwner.Invoice, DocumentFormat.Ubl, cancellationToken)).Chunk(DocumentsPerSlice))
        {
            var printed = new List<(long Id, PrintedDocument Printed)>();
            foreach (var invoiceId in slice)
            {
                var invoice = await invoices.GetAsync(invoiceId, cancellationToken)
                    ?? throw new InvalidOperationException($"Invoice {invoiceId} disappeared while writing its UBL file.");
                printed.Add((invoiceId, PrintedDocument.Of(invoice)));
            }

            await StoreUblAsync(pass, printed, DocumentOwner.Invoice, cancellationToken);
        }

        foreach (var slice in (await documents.WithoutEInvoiceAsync(DocumentOwner.CreditNote, DocumentFormat.Ubl, cancellationToken)).Chunk(DocumentsPerSlice))
        {
            var printed = new List<(long Id, PrintedDocument Printed)>();
            foreach (var noteId in slice)
            {
                printed.Add((noteId, await invoices.GetCreditNoteAsync(noteId, number => _settings.EntityOf(number).Seller, _settings.DocumentLanguage, cancellationToken)
                    ?? throw new InvalidOperationException($"Credit note {noteId} disappeared while writing its UBL file.")));
            }

            await StoreUblAsync(pass, printed, DocumentOwner.CreditNote, cancellationToken);
        }
    }

    private async Task StoreUblAsync(RenderPass pass, IReadOnlyList<(long Id, PrintedDocument Printed)> printed, DocumentOwner owner, CancellationToken cancellationToken)
    {
        var branded = printed.Select(p => p.Printed with { Branding = _settings.EntityOf(p.Printed.Document.Number).Branding }).ToList();
        var files = pass.DrawAll(branded, p => new RenderedPdf(EInvoices.UblWriter.Write(p, _settings.XRechnungForGermanBuyers), []), pass.UblFailed);
        for (var i = 0; i < branded.Count; i++)
        {
            var document = branded[i].Document;
            if (files[i] is { } xml
                && await documents.AddEInvoiceAsync(owner, printed[i].Id, document.Number, DocumentFormat.Ubl, EInvoices.UblWriter.FileName(document), xml, cancellationToken) is { } stored)
            {
                pass.Stored(stored);
                if (EInvoices.UblWriter.Gaps(branded[i]) is { Count: > 0 } gaps)
                {
                    pass.Incomplete.Add((document.Number, gaps));
                }
            }
        }
    }

    /// <summary>What one rendering pass has drawn so far.</summary>
    private sealed class RenderPass
    {
        public List<StoredDocument> Rendered { get; } = [];

        public List<(string Number, string Reason)> Failed { get; } = [];

        public List<(string Number, string Reason)> UblFailed { get; } = [];

        public List<(string Number, IReadOnlyList<string> Characters)> Replaced { get; } = [];

        public List<(string Number, IReadOnlyList<(string Rule, string Missing)> Gaps)> Incomplete { get; } = [];

        /// <summary>Notes a stored document, without its bytes: a pass of thousands holds none of them (the store does).</summary>
        public void Stored(StoredDocument stored) => Rendered.Add(stored with { Content = [] });

        /// <summary>
        /// Each document's file, drawn on every core at once, in the order given; null (and a failure noted) where one
        /// cannot be drawn: pure drawing, no I/O, so a failure is that document's alone.
        /// </summary>
        public byte[]?[] DrawAll(IReadOnlyList<PrintedDocument> printed, Func<PrintedDocument, RenderedPdf> draw, List<(string Number, string Reason)>? failures = null)
        {
            var drawn = new (RenderedPdf? File, Exception? Error)[printed.Count];
            Parallel.For(0, printed.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                try
                {
                    drawn[i] = (draw(printed[i]), null);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
                {
                    drawn[i] = (null, ex);
                }
            });

            var files = new byte[]?[printed.Count];
            for (var i = 0; i < printed.Count; i++)
            {
                var number = printed[i].Document.Number;
                if (drawn[i].Error is { } error)
                {
                    (failures ?? Failed).Add((number, $"{error.GetType().Name}: {error.Message}"));
                    continue;
                }

                var file = drawn[i].File!;
                if (file.Replaced.Count > 0)
                {
                    Replaced.Add((number, file.Replaced));
                }

                files[i] = file.Pdf;
            }

            return files;
        }
    }

    /// <summary>
    /// Renders these invoices' PDFs again (after an upgrade changed the layout, say): the posted invoice is the same, so
    /// only a rendering that differs is stored and queued, as a new version of the file in the org.
    /// </summary>
    public async Task<IReadOnlyList<(string Number, RerenderOutcome Outcome)>> RerenderAsync(IReadOnlyList<string> invoiceNumbers, CancellationToken cancellationToken)
    {
        var outcomes = new List<(string, RerenderOutcome)>();
        foreach (var number in invoiceNumbers)
        {
            var invoice = await invoices.FindByNumberAsync(number, cancellationToken);
            if (invoice is null)
            {
                outcomes.Add((number, RerenderOutcome.NoSuchInvoice));
                continue;
            }

            var pdf = Draw(await BrandedAsync(PrintedDocument.Of(invoice), cancellationToken)).Pdf;
            if (await documents.AddAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", pdf, cancellationToken) is not null)
            {
                outcomes.Add((number, RerenderOutcome.Rendered));
                continue;
            }

            var changed = await documents.ReplaceAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", pdf, cancellationToken);
            outcomes.Add((number, changed ? RerenderOutcome.NewVersion : RerenderOutcome.Unchanged));
        }

        return outcomes;
    }
}

/// <summary>What rendering an invoice again did.</summary>
internal enum RerenderOutcome
{
    /// <summary>It had no document yet: its first one is stored and queued.</summary>
    Rendered,

    /// <summary>The new rendering differs: stored and queued as a new version of the file.</summary>
    NewVersion,

    /// <summary>The same bytes as before: nothing to send.</summary>
    Unchanged,

    /// <summary>No posted invoice has that number.</summary>
    NoSuchInvoice,
}

/// <summary>
/// What a rendering pass did: the documents stored (without their bytes, which the <see cref="Storage.DocumentStore"/>
/// keeps), the invoices whose PDF could not be drawn (number, reason), and those drawn with characters no shipped font has
/// (printed as U+FFFD).
/// </summary>
internal sealed record RenderResult(
    IReadOnlyList<StoredDocument> Rendered,
    IReadOnlyList<(string Number, string Reason)> Failed,
    IReadOnlyList<(string Number, IReadOnlyList<string> Characters)> Replaced)
{
    public int Count => Rendered.Count;

    /// <summary>Documents whose UBL file could not be written (number, reason); tried again next pass.</summary>
    public IReadOnlyList<(string Number, string Reason)> UblFailed { get; init; } = [];

    /// <summary>Documents whose UBL file cannot meet EN 16931 for want of data (the rules, and what is missing).</summary>
    public IReadOnlyList<(string Number, IReadOnlyList<(string Rule, string Missing)> Gaps)> Incomplete { get; init; } = [];

    /// <summary>One line an operator can act on per document that failed or lost a character.</summary>
    public IEnumerable<string> Warnings() =>
        Failed.Select(f => $"{f.Number}: its PDF could not be drawn ({f.Reason}); the document is posted and written back, its PDF is tried again next cycle.")
            .Concat(UblFailed.Select(f => $"{f.Number}: its UBL file could not be written ({f.Reason}); the document is posted and written back, its UBL file is tried again next cycle."))
            .Concat(Replaced.Select(r => $"{r.Number}: no shipped font has {string.Join(", ", r.Characters.Distinct().Select(Describe))}; printed as \uFFFD (see Documents/Fonts/README.md to add a font)."))
            .Concat(IncompleteWarnings());

    /// <summary>
    /// One line per kind of missing data, however many documents lack it (a backfill of thousands of documents for
    /// accounts without a country says so once), naming the first few documents.
    /// </summary>
    private IEnumerable<string> IncompleteWarnings() =>
        Incomplete
            .GroupBy(i => string.Join("; ", i.Gaps.Select(g => g.Missing).Distinct()), StringComparer.Ordinal)
            .Select(g =>
            {
                var rules = string.Join(", ", g.SelectMany(i => i.Gaps.Select(x => x.Rule)).Distinct());
                var numbers = g.Select(i => i.Number).ToList();
                var who = numbers.Count == 1 ? $"{numbers[0]}: its UBL file" : $"{numbers.Count} documents ({string.Join(", ", numbers.Take(3))}{(numbers.Count > 3 ? ", …" : "")}): their UBL files";
                return $"{who} cannot meet EN 16931 ({rules}): missing {g.Key}. The files are kept as posted; complete the data for the next documents.";
            });

    private static string Describe(string character) =>
        $"'{character}' (U+{char.ConvertToUtf32(character, 0):X4})";
}
