using Connector.Invoicing.CreditNotes;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;

namespace Connector.Invoicing.Billing;

/// <summary>Drafting and posting documents: invoices, credit notes (from runs, by request, or for accepted disputes), rebills.</summary>
internal sealed partial class BillingBook
{
    /// <summary>
    /// Issues a credit note against a posted invoice: for the given lines (1-based) and net amounts (null: what is left
    /// of the line), or for every line's rest when <paramref name="lines"/> is null. Never credits more than what is left
    /// to credit on a line. With <paramref name="rebill"/> (a full credit only) a new invoice with the same lines and the
    /// account's current details follows: cancel and rebill.
    /// </summary>
    public (CreditNote CreditNote, Invoice? Rebill) IssueCreditNote(DateOnly on, string invoiceNumber, string reason, IReadOnlyList<(int Line, Amount? Net)>? lines, bool rebill = false)
    {
        var invoice = Ledger.Invoice(invoiceNumber);
        var requested = lines ?? [.. invoice.Lines.Select(l => (l.LineNumber, (Amount?)null))];
        var creditLines = new List<InvoiceLine>();
        foreach (var (number, net) in requested)
        {
            if (number < 1 || number > invoice.Lines.Count)
            {
                throw new BillingRuleException($"Invoice {invoiceNumber} has lines 1 to {invoice.Lines.Count}; there is no line {number}.");
            }

            var line = invoice.Lines[number - 1];
            var left = CreditableLeft(invoice, line) - Amount.Sum(creditLines.Where(c => c.CorrectedLine == number).Select(c => c.Net), invoice.Currency);
            var amount = net ?? left;
            if (lines is null && !amount.IsPositive)
            {
                continue;
            }

            if (!amount.IsPositive || amount > left)
            {
                throw new BillingRuleException($"Line {number} of {invoiceNumber} has {left} left to credit; {amount} is not a positive amount within that.");
            }

            creditLines.Add(CreditLineFrom(line, creditLines.Count + 1, amount));
        }

        if (creditLines.Count == 0)
        {
            throw new BillingRuleException($"Invoice {invoiceNumber} has nothing left to credit.");
        }

        var fullyCredited = invoice.Lines.All(l => CreditableLeft(invoice, l) == Amount.Sum(creditLines.Where(c => c.CorrectedLine == l.LineNumber).Select(c => c.Net), invoice.Currency));
        if (rebill && !fullyCredited)
        {
            throw new BillingRuleException($"Cancel and rebill credits {invoiceNumber} in full; it has partial credits or a partial request. Rebill needs every line's full rest.");
        }

        var note = PostCreditNote(Note(on, invoice, reason, creditLines))!;
        if (!rebill)
        {
            return (note, null);
        }

        var account = Account(invoice.AccountId);
        var copy = invoice.Lines.Select((l, i) => l with { LineNumber = i + 1 }).ToList();
        var entity = Settings.EntityOf(invoice.Number);
        var replacement = Posted(Document(on, account, invoice.Currency, invoice.Batch, copy, entity), entity);
        foreach (var entries in _entries.Values.ToList())
        {
            foreach (var entry in entries.Where(e => e.IsInvoice && e.Document == invoice.Number).ToList())
            {
                Add(entry with { Net = -entry.Net, Document = note.Number, IsInvoice = false });
                Add(entry with { Document = replacement.Number, Invoice = replacement.Number });
            }
        }

        return (note, replacement);
    }

    /// <summary>Resolves a dispute; an accepted one issues a credit note for the disputed amount (tax included) against its invoice.</summary>
    public (Dispute Dispute, CreditNote? CreditNote) ResolveDispute(DateOnly on, string disputeId, DisputeOutcome outcome)
    {
        var dispute = Ledger.OpenDisputeById(disputeId);
        if (outcome == DisputeOutcome.Rejected)
        {
            return (Ledger.ResolveDispute(disputeId, outcome, on, null), null);
        }

        var invoice = Ledger.Invoice(dispute.InvoiceNumber);
        var targets = dispute.Line is { } n ? [invoice.Lines[n - 1]] : invoice.Lines.Where(l => CreditableLeft(invoice, l).IsPositive).ToList();
        var draft = CreditByGross(on, invoice, targets, dispute.Amount, Invariant($"Dispute {dispute.Id} accepted{(dispute.Reason is null ? "" : ": " + dispute.Reason)}"));
        var note = PostCreditNote(draft)!;
        return (Ledger.ResolveDispute(disputeId, outcome, on, note.Number), note);
    }

    private Amount CreditableLeft(Invoice invoice, InvoiceLine line) =>
        line.Net - _credited.GetValueOrDefault((invoice.Number, line.LineNumber), Amount.Zero(invoice.Currency));

    private static InvoiceLine CreditLineFrom(InvoiceLine line, int number, Amount amount) =>
        line with
        {
            LineNumber = number,
            Net = amount,
            CorrectedLine = line.LineNumber,
            Explanation = amount == line.Net ? $"credits line {line.LineNumber} in full" : $"credits {amount.ToPlainString()} of line {line.LineNumber} ({line.Net.ToPlainString()})",
        };

    /// <summary>
    /// A credit note whose payable amount is <paramref name="gross"/>: spread over the lines in proportion to what is
    /// left of them (tax included), each line's net back-computed from its rates, and the last line nudged by a minor
    /// unit or two so the document adds up to exactly the gross where the tax rounding allows.
    /// </summary>
    private (CreditNote Note, IReadOnlyList<Credit> Credits) CreditByGross(DateOnly on, Invoice invoice, IReadOnlyList<InvoiceLine> targets, Amount gross, string reason)
    {
        var currency = invoice.Currency;
        var weights = targets.Select(l => (Line: l, Left: CreditableLeft(invoice, l), Rate: 1m + ((l.TaxRatePercent - l.WithholdingPercent) / 100m))).Where(t => t.Left.IsPositive).ToList();
        if (weights.Count == 0)
        {
            throw new BillingRuleException($"Invoice {invoice.Number} has nothing left to credit.");
        }

        var grossLeft = weights.Sum(w => w.Left.Value * w.Rate);
        var lines = new List<InvoiceLine>();
        var remaining = gross.Value;
        for (var i = 0; i < weights.Count; i++)
        {
            var (line, left, rate) = weights[i];
            var share = i == weights.Count - 1 ? remaining : decimal.Round(gross.Value * (left.Value * rate) / grossLeft, currency.MinorDigits, MidpointRounding.AwayFromZero);
            remaining -= share;
            lines.Add(CreditLineFrom(line, i + 1, Amount.Min(left, Amount.Round(share / rate, currency))));
        }

        var best = Note(on, invoice, reason, lines);
        var last = lines[^1];
        var lastLeft = weights[^1].Left;
        for (var step = -3; step <= 3; step++)
        {
            var net = last.Net + Amount.FromMinorUnits(step, currency);
            if (!net.IsPositive || net > lastLeft)
            {
                continue;
            }

            var candidate = Note(on, invoice, reason, [.. lines.Take(lines.Count - 1), CreditLineFrom(invoice.Lines[last.CorrectedLine!.Value - 1], lines.Count, net)]);
            if (Math.Abs((candidate.Note.Payable - gross).MinorUnits) < Math.Abs((best.Note.Payable - gross).MinorUnits))
            {
                best = candidate;
            }
        }

        return best;
    }

    private (Invoice Invoice, IReadOnlyList<Charge> Charges) DraftInvoice(DateOnly on, IReadOnlyList<Charge> charges)
    {
        var first = charges[0].Line;
        var account = Account(first.AccountId);
        var lines = charges.Select((c, i) => new InvoiceLine(i + 1, c.Line.OrderId, c.Line.Id, c.Line.Product, c.Period, c.Quantity, c.Factor, c.Net, c.Line.TaxRate, c.Explanation)
        {
            UnitPrice = c.Usage is null ? c.Line.Terms.UnitPrice : UsageUnitPrice(c.Usage),
            Usage = c.Usage,
            TaxExemptReason = c.Line.TaxExemptReason,
            WithholdingPercent = c.Line.WithholdingPercent,
            Revises = c.Line.Revises,
        }).ToList();
        return (Document(on, account, first.Currency, first.Batch, lines, Settings.Entity(first.LegalEntity)), charges);
    }

    private Invoice Document(DateOnly on, BookAccount account, Currency currency, string? batch, IReadOnlyList<InvoiceLine> lines, LegalEntities.LegalEntity entity)
    {
        var taxes = TaxCalculator.Taxes(lines, currency, Settings.TaxRounding);
        var withholdings = TaxCalculator.Withholdings(lines, currency);
        var payable = Amount.Sum(lines.Select(l => l.Net), currency) + Amount.Sum(taxes.Select(t => t.Tax), currency) - Amount.Sum(withholdings.Select(w => w.Withheld), currency);
        var installments = account.PaymentTerms.Schedule(on, payable);
        return new Invoice
        {
            Number = "",
            AccountId = account.Id,
            Seller = entity.Seller,
            Buyer = account.AsParty(Settings.DocumentLanguage),
            Currency = currency,
            IssueDate = on,
            DueDate = installments[^1].DueDate,
            Lines = lines,
            Taxes = taxes,
            Withholdings = withholdings,
            Installments = installments,
            Batch = batch,
        };
    }

    private Invoice PostInvoice((Invoice Invoice, IReadOnlyList<Charge> Charges) draft)
    {
        var invoice = Posted(draft.Invoice, Settings.Entity(draft.Charges[0].Line.LegalEntity));
        for (var i = 0; i < draft.Charges.Count; i++)
        {
            Record(draft.Charges[i].Settles, draft.Charges[i].Whole, invoice.Number, i + 1, invoice.Number, isInvoice: true);
            MarkUsage(draft.Charges[i].Usage, invoice.Number);
        }

        return invoice;
    }

    /// <summary>
    /// The credit note a run posts instead of an invoice whose total would be negative: the same lines with their
    /// signs turned (a discount line becomes a positive credit), correcting no invoice; the credit is the account's
    /// to use (available credit, applied to its next invoices or refunded).
    /// </summary>
    private (CreditNote Note, IReadOnlyList<Charge> Charges) AccountCreditNote((Invoice Invoice, IReadOnlyList<Charge> Charges) draft)
    {
        var invoice = draft.Invoice;
        var lines = invoice.Lines.Select(l => l with
        {
            Net = -l.Net,
            Explanation = $"{l.Explanation}; the charges due made a negative total of {invoice.Total.ToPlainString()}, so they are credited to the account",
        }).ToList();
        return (new CreditNote
        {
            Number = "",
            AccountId = invoice.AccountId,
            Currency = invoice.Currency,
            IssueDate = invoice.IssueDate,
            CorrectsNumber = null,
            CorrectsIssueDate = null,
            Reason = CreditReasons.AccountCredit,
            Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, invoice.Currency, Settings.TaxRounding),
            Withholdings = TaxCalculator.Withholdings(lines, invoice.Currency),
        }, draft.Charges);
    }

    /// <summary>Numbers and records an account credit note; its charges are billed on it (entries that are not an invoice's).</summary>
    private CreditNote PostAccountCreditNote((CreditNote Note, IReadOnlyList<Charge> Charges) draft)
    {
        var series = Settings.Entity(draft.Charges[0].Line.LegalEntity).CreditNoteSeries;
        var note = draft.Note with { Number = NextNumber(series, draft.Note.IssueDate) };
        Ledger.AddCreditNote(note);
        for (var i = 0; i < draft.Charges.Count; i++)
        {
            Record(draft.Charges[i].Settles, draft.Charges[i].Whole, note.Number, i + 1, note.Number, isInvoice: false);
            MarkUsage(draft.Charges[i].Usage, note.Number);
        }

        return note;
    }

    private Invoice Posted(Invoice draft, LegalEntities.LegalEntity entity)
    {
        var invoice = draft with { Number = NextNumber(entity.InvoiceSeries, draft.IssueDate) };
        Ledger.AddInvoice(invoice);
        return invoice;
    }

    private (CreditNote Note, IReadOnlyList<Credit> Credits) DraftCreditNote(DateOnly on, string invoiceNumber, IReadOnlyList<Credit> credits)
    {
        var invoice = Ledger.Invoice(invoiceNumber);
        var lines = new List<InvoiceLine>();
        foreach (var credit in credits)
        {
            var amount = credit.Amount;
            if (credit.CorrectedLine is { } n)
            {
                var left = CreditableLeft(invoice, invoice.Lines[n - 1]) - Amount.Sum(lines.Where(l => l.CorrectedLine == n).Select(l => l.Net), invoice.Currency);
                amount = Amount.Min(amount, Amount.Max(left, Amount.Zero(invoice.Currency)));
            }

            if (!amount.IsPositive)
            {
                continue;
            }

            lines.Add(new InvoiceLine(lines.Count + 1, credit.Line.OrderId, credit.Line.Id, credit.Line.Product, credit.Period, credit.Quantity, credit.Factor, amount, credit.Line.TaxRate,
                amount == credit.Amount ? credit.Explanation : $"{credit.Explanation}; capped at the {amount.ToPlainString()} left to credit")
            {
                UnitPrice = credit.Usage is null ? credit.Line.Terms.UnitPrice : UsageUnitPrice(credit.Usage),
                TaxExemptReason = credit.Line.TaxExemptReason,
                WithholdingPercent = credit.Line.WithholdingPercent,
                Revises = credit.Line.Revises,
                CorrectedLine = credit.CorrectedLine,
                Usage = credit.Usage,
            });
        }

        var reason = string.Join("; ", credits.Select(c => c.Reason).Distinct(StringComparer.Ordinal));
        var (note, _) = Note(on, invoice, reason, lines);
        return (note, credits);
    }

    private (CreditNote Note, IReadOnlyList<Credit> Credits) Note(DateOnly on, Invoice invoice, string reason, IReadOnlyList<InvoiceLine> lines) =>
        on < invoice.IssueDate
            ? throw new Numbering.DocumentDateException($"A credit note for {invoice.Number} dated {on:yyyy-MM-dd} would come before the invoice it corrects ({invoice.IssueDate:yyyy-MM-dd}); date it {invoice.IssueDate:yyyy-MM-dd} or later.")
            : (new CreditNote
        {
            Number = "",
            AccountId = invoice.AccountId,
            Currency = invoice.Currency,
            IssueDate = on,
            CorrectsNumber = invoice.Number,
            CorrectsIssueDate = invoice.IssueDate,
            Reason = reason,
            Lines = lines,
            Taxes = TaxCalculator.Taxes(lines, invoice.Currency, Settings.TaxRounding),
            Withholdings = TaxCalculator.Withholdings(lines, invoice.Currency),
        }, []);

    /// <summary>Numbers and records a credit note; one whose lines were all capped away settles its credits without a document.</summary>
    private CreditNote? PostCreditNote((CreditNote Note, IReadOnlyList<Credit> Credits) draft)
    {
        CreditNote? note = null;
        if (draft.Note.Lines.Count > 0)
        {
            // A correction is numbered in the credit note series of the entity that issued the invoice.
            note = draft.Note with { Number = NextNumber(Settings.EntityOf(draft.Note.CorrectsNumber ?? "").CreditNoteSeries, draft.Note.IssueDate) };
            Ledger.AddCreditNote(note);
            foreach (var line in note.Lines.Where(l => l.CorrectedLine is not null && note.CorrectsNumber is not null))
            {
                var key = (note.CorrectsNumber!, line.CorrectedLine!.Value);
                _credited[key] = _credited.GetValueOrDefault(key, Amount.Zero(note.Currency)) + line.Net;
            }
        }

        foreach (var credit in draft.Credits)
        {
            var number = note?.Lines.FirstOrDefault(l => l.OrderLineId == credit.Line.Id && l.Period == credit.Period)?.LineNumber ?? 0;
            Record(credit.Settles, credit.Whole, note?.Number ?? "", number, credit.Invoice, isInvoice: false);
            MarkUsage(credit.Usage, note?.Number);
        }

        return note;
    }

    private void Record(IEnumerable<(string LineId, DateOnly PieceStart, BillingPeriod Period, decimal Factor, Amount Net)> settles, BillingPeriod whole, string document, int documentLine, string invoice, bool isInvoice)
    {
        foreach (var (lineId, pieceStart, period, factor, net) in settles)
        {
            Add(new LedgerEntry(lineId, pieceStart, period, whole, factor, net, document, documentLine, invoice, isInvoice));
        }
    }

    private void Add(LedgerEntry entry)
    {
        if (!_entries.TryGetValue(entry.LineId, out var entries))
        {
            _entries[entry.LineId] = entries = [];
            _billedPieces[entry.LineId] = [];
        }

        entries.Add(entry);
        _billedPieces[entry.LineId].Add(entry.PieceStart);
        _entryLog.Add(entry);
    }
}
