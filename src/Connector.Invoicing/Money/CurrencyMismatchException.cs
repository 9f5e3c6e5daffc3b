namespace Connector.Invoicing.Money;

/// <summary>Raised when two amounts in different currencies are combined.</summary>
internal sealed class CurrencyMismatchException(Currency left, Currency right)
    : InvalidOperationException($"Cannot combine amounts in {left.Code} and {right.Code}.");
