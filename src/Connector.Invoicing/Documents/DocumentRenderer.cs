using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Documents;

/// <summary>Renders the PDF of every posted invoice that has none yet, stores it once and queues its upload.</summary>
public sealed class DocumentRenderer(DocumentStore documents, InvoiceStore invoices)
{
    public async Task<IReadOnlyList<StoredDocument>> RenderPendingAsync(CancellationToken cancellationToken)
    {
        var rendered = new List<StoredDocument>();
        foreach (var invoiceId in await documents.InvoicesWithoutDocumentAsync(cancellationToken))
        {
            var invoice = await invoices.GetAsync(invoiceId, cancellationToken)
                ?? throw new InvalidOperationException($"Invoice {invoiceId} disappeared while rendering.");
            var pdf = InvoicePdfRenderer.Render(invoice);
            var stored = await documents.AddAsync(invoice.Id, invoice.Number, InvoicePdfRenderer.FileName(invoice), "application/pdf", pdf, cancellationToken);
            if (stored is not null)
            {
                rendered.Add(stored);
            }
        }

        return rendered;
    }
}
