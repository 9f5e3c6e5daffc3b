using Connector.Invoicing.Receivables;

namespace Connector.Invoicing.Numbering;

/// <summary>
/// A document would be dated out of order: before the last one of its number series (numbers and dates must rise
/// together), or a credit note before the invoice it corrects. Not a record's fault: a run stops, an event is refused.
/// </summary>
internal sealed class DocumentDateException(string message) : BillingRuleException(message);
