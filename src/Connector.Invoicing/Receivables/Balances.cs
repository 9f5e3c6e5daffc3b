using Connector.Invoicing.Money;

namespace Connector.Invoicing.Receivables;

/// <summary>Where an invoice stands with the buyer.</summary>
internal enum PaymentStatus
{
    Unpaid,
    PartiallyPaid,
    Paid,
    Overdue,
}

/// <summary>
/// An invoice's receivable figures on a date. <see cref="Balance"/> = payable − paid − credited;
/// <see cref="Disputed"/> is the open disputes, out of the collectible balance; <see cref="Overdue"/> is what is
/// collectible and past an installment's due date.
/// </summary>
internal sealed record InvoiceBalance(
    string Number,
    Amount Payable,
    Amount Paid,
    Amount Credited,
    Amount Disputed,
    Amount Balance,
    Amount Overdue,
    PaymentStatus Status)
{
    public Amount Collectible => Amount.Max(Balance - Disputed, Amount.Zero(Balance.Currency));
}

/// <summary>
/// An account's figures in one currency, gross (tax included). <see cref="Balance"/> = billed − credited − paid +
/// refunded, which always equals the sum of its invoices' balances less <see cref="UnappliedCredit"/>.
/// </summary>
internal sealed record AccountBalance(
    string AccountId,
    Currency Currency,
    Amount Billed,
    Amount Paid,
    Amount Credited,
    Amount Refunded,
    Amount Balance,
    Amount Overdue,
    Amount Disputed,
    Amount UnappliedCredit,
    Aging Aging);

/// <summary>Collectible amounts by days past their due date on a given day.</summary>
internal sealed record Aging(Amount Current, Amount Days1To30, Amount Days31To60, Amount Days61To90, Amount Over90)
{
    public static Aging Zero(Currency currency) => new(Amount.Zero(currency), Amount.Zero(currency), Amount.Zero(currency), Amount.Zero(currency), Amount.Zero(currency));

    public Amount Total => Current + Days1To30 + Days31To60 + Days61To90 + Over90;

    public Aging Add(int daysPastDue, Amount amount) => Bucket(daysPastDue) switch
    {
        0 => this with { Current = Current + amount },
        1 => this with { Days1To30 = Days1To30 + amount },
        2 => this with { Days31To60 = Days31To60 + amount },
        3 => this with { Days61To90 = Days61To90 + amount },
        _ => this with { Over90 = Over90 + amount },
    };

    /// <summary>The bucket an amount this many days past due falls in, in the order of the record's members (0: current, 4: over 90).</summary>
    public static int Bucket(int daysPastDue) => daysPastDue switch
    {
        <= 0 => 0,
        <= 30 => 1,
        <= 60 => 2,
        <= 90 => 3,
        _ => 4,
    };

    /// <summary>An aging from the minor units summed per <see cref="Bucket"/>.</summary>
    public static Aging FromMinorUnits(ReadOnlySpan<long> buckets, Currency currency) =>
        new(Amount.FromMinorUnits(buckets[0], currency), Amount.FromMinorUnits(buckets[1], currency), Amount.FromMinorUnits(buckets[2], currency),
            Amount.FromMinorUnits(buckets[3], currency), Amount.FromMinorUnits(buckets[4], currency));

    public Aging Plus(Aging other) =>
        new(Current + other.Current, Days1To30 + other.Days1To30, Days31To60 + other.Days31To60, Days61To90 + other.Days61To90, Over90 + other.Over90);
}
