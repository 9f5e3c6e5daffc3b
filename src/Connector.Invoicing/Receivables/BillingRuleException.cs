namespace Connector.Invoicing.Receivables;

/// <summary>
/// A request the billing rules refuse (credit more than is left, pay an unknown invoice, reverse a refunded payment...).
/// The message says what was asked, what the rule allows and what to do; nothing was changed.
/// </summary>
internal class BillingRuleException(string message) : InvalidOperationException(message);
