namespace Connector.Invoicing.Receivables;

/// <summary>
/// A payment as the org records it (the mapping's payment source): applied to the account's invoices by the next
/// invoice run, to <see cref="InvoiceNumber"/> when it names one and oldest due first otherwise. <see cref="Reversed"/>
/// (a bounced or cancelled payment in the org) undoes it. <see cref="PaymentId"/> is the org's record id.
/// </summary>
internal sealed record IncomingPayment(string PaymentId, string AccountId, decimal Amount, DateOnly ReceivedOn, string? InvoiceNumber, bool Reversed);
