using System.Globalization;
using Connector.Invoicing.Money;

namespace Connector.Invoicing.Terms;

/// <summary>
/// When an invoice is due: on receipt, N days after issue, or in installments by percent and days after issue.
/// The installments of a document always sum exactly to what is payable: each is the total × its percent, rounded half
/// away from zero to the minor unit, and the last takes the remainder.
/// </summary>
internal sealed record PaymentTerms
{
    private PaymentTerms(string name, IReadOnlyList<InstallmentRule> rules) => (Name, Rules) = (name, rules);

    public static PaymentTerms DueOnReceipt { get; } = new("DueOnReceipt", [new InstallmentRule(100m, 0)]);

    /// <summary>"DueOnReceipt", "Net30", or "Installments(30%/15d, 70%/45d)".</summary>
    public string Name { get; }

    public IReadOnlyList<InstallmentRule> Rules { get; }

    public static PaymentTerms Net(int days) =>
        days switch
        {
            0 => DueOnReceipt,
            < 0 or > 3650 => throw new ArgumentOutOfRangeException(nameof(days), days, "Net days are 0 to 3650."),
            _ => new(string.Create(CultureInfo.InvariantCulture, $"Net{days}"), [new InstallmentRule(100m, days)]),
        };

    public static PaymentTerms Installments(IReadOnlyList<InstallmentRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0)
        {
            throw new ArgumentException("An installment plan needs at least one installment.", nameof(rules));
        }

        if (rules.Any(r => r.Percent <= 0m || r.AfterDays < 0))
        {
            throw new ArgumentException("Every installment has a positive percent and days after issue of 0 or more.", nameof(rules));
        }

        if (rules.Sum(r => r.Percent) != 100m)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Installment percents add up to {rules.Sum(r => r.Percent)}, not 100."), nameof(rules));
        }

        if (rules.Zip(rules.Skip(1)).Any(p => p.Second.AfterDays < p.First.AfterDays))
        {
            throw new ArgumentException("Installments are listed in due order: days after issue never decrease.", nameof(rules));
        }

        var name = "Installments(" + string.Join(", ", rules.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Percent}%/{r.AfterDays}d"))) + ")";
        return new(name, [.. rules]);
    }

    /// <summary>
    /// Parses "DueOnReceipt", "NetN" or an installment plan written as its <see cref="Name"/>
    /// ("Installments(30%/15d, 70%/45d)", or just "30%/15d, 70%/45d"); null when the text is none of them.
    /// </summary>
    public static PaymentTerms? TryParse(string? text)
    {
        if (string.Equals(text, "DueOnReceipt", StringComparison.Ordinal))
        {
            return DueOnReceipt;
        }

        if (text is not null && text.Contains('%', StringComparison.Ordinal))
        {
            var plan = text.StartsWith("Installments(", StringComparison.Ordinal) && text.EndsWith(')') ? text[13..^1] : text;
            var rules = new List<InstallmentRule>();
            foreach (var part in plan.Split(',', StringSplitOptions.TrimEntries))
            {
                var pieces = part.Split("%/", 2);
                if (pieces.Length != 2 || !pieces[1].EndsWith('d')
                    || !decimal.TryParse(pieces[0], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
                    || !int.TryParse(pieces[1][..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var after))
                {
                    return null;
                }

                rules.Add(new InstallmentRule(percent, after));
            }

            try
            {
                return Installments(rules);
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        return text is not null && text.StartsWith("Net", StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 3650
            ? Net(days)
            : null;
    }

    /// <summary>The installments of a document payable <paramref name="total"/>, issued on <paramref name="issueDate"/>.</summary>
    public IReadOnlyList<Installment> Schedule(DateOnly issueDate, Amount total)
    {
        var installments = new List<Installment>(Rules.Count);
        var left = total;
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var amount = i == Rules.Count - 1 ? left : Amount.Round(total.Value * rule.Percent / 100m, total.Currency);
            installments.Add(new Installment(i + 1, issueDate.AddDays(rule.AfterDays), amount));
            left -= amount;
        }

        return installments;
    }

    public override string ToString() => Name;
}

/// <summary>One rule of a plan: this percent of the total, due this many days after issue.</summary>
internal sealed record InstallmentRule(decimal Percent, int AfterDays);

/// <summary>One installment of a document: its 1-based number, due date and amount.</summary>
internal sealed record Installment(int Number, DateOnly DueDate, Amount Amount);
