using System.Text.Json;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Money;
using Connector.Invoicing.Receivables;

namespace Connector.Worker.Simulation;

internal static partial class ScenarioReader
{
    private static ScenarioStep? ReadEvent(JsonNode node, Known known)
    {
        if (!node.IsObject)
        {
            node.ExpectObject();
            return null;
        }

        var type = node.String("type", required: true);
        var on = node.Date("on", required: true);
        if (type is null || on is null)
        {
            return null;
        }

        if (!EventTypes.Contains(type, StringComparer.Ordinal))
        {
            var suggestion = JsonNode.Suggest(type, EventTypes);
            node.Problem($"type '{type}' is not allowed; use one of {string.Join(", ", EventTypes)}{(suggestion is null ? "" : $" (did you mean '{suggestion}'?)")}.");
            return null;
        }

        string? accountId = null;
        if (known.LedgerMode)
        {
            if (!LedgerEventTypes.Contains(type, StringComparer.Ordinal))
            {
                node.Problem($"type '{type}' cannot be applied to the stored book: orders, amendments and cancellations come from Salesforce, invoice runs from the schedule or 'connector invoice-run'. Use one of {string.Join(", ", LedgerEventTypes)}.");
                return null;
            }

            accountId = Account(node, known)?.Id;
            if (type is "payment" or "dispute" && node.String("id", required: true) is null)
            {
                return null;
            }
        }
        else if (type is "paymentReversal" or "dispute" or "resolveDispute" or "creditNote" && node.Has("account"))
        {
            accountId = Account(node, known)?.Id;
        }

        var day = on.Value;
        Action<BillingBook>? apply = type switch
        {
            "order" => ReadOrder(node, known),
            "invoiceRun" => ReadRun(node, known, day),
            "hold" => ReadHold(node, known, day),
            "release" => Expect(node, ["line"]) && Line(node, known) is { } released ? book => book.Release(released, day) : null,
            "cancel" => ReadCancel(node, known, day),
            "nextBillingDate" => Expect(node, ["line", "date"]) && Line(node, known) is { } deferred && node.Date("date", required: true) is { } date
                ? book => book.SetNextBillingDate(deferred, date) : null,
            "billNow" => Expect(node, ["account"]) && Account(node, known) is { } now ? book => book.BillNow(day, now.Id) : null,
            "payment" => ReadPayment(node, known, day),
            "paymentReversal" => Expect(node, ["payment", "account"]) && node.String("payment", required: true) is { } reversed ? book => book.Ledger.ReversePayment(reversed, day) : null,
            "refund" => ReadRefund(node, known, day),
            "applyCredit" => ReadApplyCredit(node, known, day),
            "dispute" => ReadDispute(node, known, day),
            "resolveDispute" => ReadResolve(node, day),
            "creditNote" => ReadCreditNote(node, day),
            "accountUpdate" => ReadAccountUpdate(node, known),
            "usage" => ReadUsage(node, known, day),
            _ => null,
        };
        return apply is null ? null : new ScenarioStep(node.Path, day, type, apply) { AccountId = accountId };
    }

    private static Action<BillingBook>? ReadRun(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["targetDate", "dryRun", "accounts", "batch"]))
        {
            return null;
        }

        var target = node.Date("targetDate") ?? on;
        var dryRun = node.Bool("dryRun");
        var batch = node.String("batch");
        HashSet<string>? accounts = null;
        if (node.Has("accounts"))
        {
            accounts = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in node.Array("accounts"))
            {
                if (item.Element.ValueKind != JsonValueKind.String || !known.Accounts.ContainsKey(item.Element.GetString()!))
                {
                    item.Problem($"expected the id of an account in $.accounts, found {JsonNode.Describe(item.Element)}.");
                }
                else
                {
                    accounts.Add(item.Element.GetString()!);
                }
            }
        }

        return book => book.Run(on, target, dryRun, accounts, batch);
    }

    private static Action<BillingBook>? ReadHold(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["line", "until"]))
        {
            return null;
        }

        var line = Line(node, known);
        var until = node.Date("until");
        return line is null ? null : book => book.Hold(line, on, until);
    }

    private static Action<BillingBook>? ReadCancel(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["line", "effective"]))
        {
            return null;
        }

        var line = Line(node, known);
        var effective = node.Date("effective") ?? on;
        return line is null ? null : book => book.Cancel(line, effective);
    }

    private static Action<BillingBook>? ReadPayment(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["account", "amount", "allocate", "id"]))
        {
            return null;
        }

        var account = Account(node, known);
        if (account is null)
        {
            return null;
        }

        var currency = account.Currency ?? known.Currency;
        var amount = Money(node, "amount", currency);
        var id = node.String("id");
        List<(string, Amount)>? allocations = null;
        if (node.Has("allocate"))
        {
            var allocate = node.Child("allocate");
            if (allocate.Element.ValueKind == JsonValueKind.Array)
            {
                allocations = [];
                foreach (var item in node.Array("allocate"))
                {
                    if (item.ExpectObject("invoice", "amount") && item.String("invoice", required: true) is { } invoice && Money(item, "amount", currency) is { } part)
                    {
                        allocations.Add((invoice, part));
                    }
                }
            }
            else if (allocate.Element.ValueKind != JsonValueKind.String || allocate.Element.GetString() != "oldestFirst")
            {
                allocate.Problem($"expected \"oldestFirst\" or a list [{{ \"invoice\": \"INV-000001\", \"amount\": \"...\" }}], found {JsonNode.Describe(allocate.Element)}.");
            }
        }

        return amount is null ? null : book => book.Ledger.RecordPayment(id ?? $"PAY-{book.Ledger.Payments.Count + 1}", account.Id, on, amount.Value, allocations);
    }

    private static Action<BillingBook>? ReadRefund(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["account", "amount", "creditNote"]) || Account(node, known) is not { } account)
        {
            return null;
        }

        var amount = Money(node, "amount", account.Currency ?? known.Currency);
        var note = node.String("creditNote");
        return amount is null ? null : book => book.Ledger.RefundCredit(account.Id, note, amount.Value, on);
    }

    private static Action<BillingBook>? ReadApplyCredit(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["account", "invoice", "creditNote", "amount"]) || Account(node, known) is not { } account)
        {
            return null;
        }

        var invoice = node.String("invoice", required: true);
        var note = node.String("creditNote");
        var amount = node.Has("amount") ? Money(node, "amount", account.Currency ?? known.Currency) : null;
        return invoice is null ? null : book => book.Ledger.ApplyCredit(account.Id, invoice, note, amount, on);
    }

    private static Action<BillingBook>? ReadDispute(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["invoice", "amount", "line", "id", "reason", "account"]))
        {
            return null;
        }

        var invoice = node.String("invoice", required: true);
        var line = node.Int("line", 1, 100_000);
        var id = node.String("id");
        var reason = node.String("reason");
        var amount = node.Decimal("amount", required: true, min: 0.000001m, bounds: "a disputed amount is positive");
        return invoice is null || amount is null ? null : book =>
        {
            var currency = book.Ledger.Invoice(invoice).Currency;
            if (!Amount.TryExact(amount.Value, currency, out var exact))
            {
                throw new BillingRuleException($"amount {amount} has more decimals than {currency.Code} has ({currency.MinorDigits}).");
            }

            book.Ledger.OpenDispute(id ?? $"DSP-{book.Ledger.Disputes.Count + 1}", invoice, line, exact, on, reason);
        };
    }

    private static Action<BillingBook>? ReadResolve(JsonNode node, DateOnly on)
    {
        if (!Expect(node, ["dispute", "outcome", "account"]))
        {
            return null;
        }

        var dispute = node.String("dispute", required: true);
        var outcome = node.Enum<DisputeOutcome>("outcome", required: true);
        return dispute is null || outcome is null ? null : book => book.ResolveDispute(on, dispute, outcome.Value);
    }

    private static Action<BillingBook>? ReadCreditNote(JsonNode node, DateOnly on)
    {
        if (!Expect(node, ["invoice", "reason", "lines", "full", "rebill", "account"]))
        {
            return null;
        }

        var invoice = node.String("invoice", required: true);
        var reason = node.String("reason", required: true);
        var full = node.Bool("full");
        var rebill = node.Bool("rebill");
        var lines = new List<(int, decimal?)>();
        foreach (var item in node.Array("lines"))
        {
            if (item.ExpectObject("invoiceLine", "amount") && item.Int("invoiceLine", 1, 100_000, required: true) is { } number)
            {
                lines.Add((number, item.Decimal("amount", min: 0.000001m, bounds: "a credited amount is positive and net of tax")));
            }
        }

        if (full == (lines.Count > 0))
        {
            node.Problem(full ? "give either \"full\": true or lines, not both." : "say what to credit: \"full\": true, or lines [ { \"invoiceLine\": 1, \"amount\": \"10.00\" } ].");
        }

        if (invoice is null || reason is null)
        {
            return null;
        }

        return book =>
        {
            var currency = book.Ledger.Invoice(invoice).Currency;
            List<(int, Amount?)>? requested = null;
            if (!full)
            {
                requested = [];
                foreach (var (number, amount) in lines)
                {
                    Amount? exact = null;
                    if (amount is { } value)
                    {
                        exact = Amount.TryExact(value, currency, out var a) ? a : throw new BillingRuleException($"amount {value} has more decimals than {currency.Code} has ({currency.MinorDigits}).");
                    }

                    requested.Add((number, exact));
                }
            }

            book.IssueCreditNote(on, invoice, reason, requested, rebill);
        };
    }

    private static Action<BillingBook>? ReadAccountUpdate(JsonNode node, Known known)
    {
        if (Account(node, known) is not { } current || ReadAccount(node, current) is not { } updated)
        {
            return null;
        }

        known.Accounts[updated.Id] = updated;
        return book => book.SetAccount(updated);
    }
}
