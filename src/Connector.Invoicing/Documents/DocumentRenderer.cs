using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Documents;

/// <summary>
/// Renders the PDF of every posted invoice that has none yet, stores it once and queues its upload. One invoice whose
/// PDF cannot be drawn never stops the others: it is reported in <see cref="RenderResult.Failed"/> and tried again on
/// the next pass; the invoice itself is posted and written back regardless.
/// </summary>
internal sealed class DocumentRenderer(DocumentStore documents, InvoiceStore invoices)
{
    private readonly Func<Invoices.Invoice, RenderedPdf> _render = PdfRenderer.Draw;

    /// <summary>For tests: a renderer that draws with <paramref name="render"/>.</summary>
    internal DocumentRenderer(DocumentStore documents, InvoiceStore invoices, Func<Invoices.Invoice, byte[]> render)
        : this(documents, invoices) => _render = invoice => new RenderedPdf(render(invoice), []);

    public async Task<RenderResult> RenderPendingAsync(CancellationToken cancellationToken)
    {
        var rendered = new List<StoredDocument>();
        var failed = new List<(string Number, string Reason)>();
        var replaced = new List<(string Number, IReadOnlyList<string> Characters)>();
        foreach (var invoiceId in await documents.InvoicesWithoutDocumentAsync(cancellationToken))
        {
            var invoice = await invoices.GetAsync(invoiceId, cancellationToken)
                ?? throw new InvalidOperationException($"Invoice {invoiceId} disappeared while rendering.");
            byte[] pdf;
            try
            {
                var drawn = _render(invoice); // pure drawing, no I/O: a failure is this invoice's alone
                pdf = drawn.Pdf;
                if (drawn.Replaced.Count > 0)
                {
                    replaced.Add((invoice.Number, drawn.Replaced));
                }
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or OutOfMemoryException))
            {
                failed.Add((invoice.Number, $"{ex.GetType().Name}: {ex.Message}"));
                continue;
            }

            var stored = await documents.AddAsync(invoice.Id, invoice.Number, PdfRenderer.FileName(invoice), "application/pdf", pdf, cancellationToken);
            if (stored is not null)
            {
                rendered.Add(stored);
            }
        }

        return new RenderResult(rendered, failed, replaced);
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

            var pdf = _render(invoice).Pdf;
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
/// What a rendering pass did: the PDFs stored, the invoices whose PDF could not be drawn (number, reason), and those
/// drawn with characters no shipped font has (printed as U+FFFD).
/// </summary>
internal sealed record RenderResult(
    IReadOnlyList<StoredDocument> Rendered,
    IReadOnlyList<(string Number, string Reason)> Failed,
    IReadOnlyList<(string Number, IReadOnlyList<string> Characters)> Replaced)
{
    public int Count => Rendered.Count;

    /// <summary>One line an operator can act on per document that failed or lost a character.</summary>
    public IEnumerable<string> Warnings() =>
        Failed.Select(f => $"Invoice {f.Number}: its PDF could not be drawn ({f.Reason}); the invoice is posted and written back, its PDF is tried again next cycle.")
            .Concat(Replaced.Select(r => $"Invoice {r.Number}: no shipped font has {string.Join(", ", r.Characters.Distinct().Select(Describe))}; printed as \uFFFD (see Documents/Fonts/README.md to add a font)."));

    private static string Describe(string character) =>
        $"'{character}' (U+{char.ConvertToUtf32(character, 0):X4})";
}
