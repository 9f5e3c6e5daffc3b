using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Terms;

namespace Connector.Invoicing.Documents;

/// <summary>
/// What a PDF prints of a posted invoice or credit note: the document itself, the parties frozen at posting, and for a
/// credit note the invoice it corrects. The buyer's <see cref="Party.Language"/> chooses the language.
/// </summary>
internal sealed record PrintedDocument(PostedDocument Document, Party Seller, Party Buyer)
{
    /// <summary>The issuing legal entity's logo, colour, bank account and footer.</summary>
    public LegalEntities.Branding Branding { get; init; } = LegalEntities.Branding.None;

    /// <summary>For an entity with VERI*FACTU on: the AEAT validation URL its QR code holds (printed at the top of page 1).</summary>
    public string? VeriFactuQr { get; init; }

    public bool IsCreditNote => Document is CreditNote;

    public DateOnly? DueDate => (Document as Invoice)?.DueDate;

    public IReadOnlyList<Installment> Installments => (Document as Invoice)?.Installments ?? [];

    public static PrintedDocument Of(Invoice invoice) => new(invoice, invoice.Seller, invoice.Buyer);

    /// <summary>A credit note printed with the parties of the invoice it corrects (or, for an account credit, the ones given).</summary>
    public static PrintedDocument Of(CreditNote note, Party seller, Party buyer) => new(note, seller, buyer);
}
