using System.Text.Json;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Receivables;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;

namespace Connector.Worker.Simulation;

/// <summary>
/// Reads a scenario file (see docs/scenario-format.md) strictly: unknown fields, wrong types, bad dates, unknown enum
/// values and references to accounts or lines that do not exist are all reported at once, each with its JSON path.
/// </summary>
public static class ScenarioReader
{
    private static readonly string[] EventTypes =
    [
        "order", "invoiceRun", "hold", "release", "cancel", "nextBillingDate", "billNow", "payment", "paymentReversal",
        "refund", "applyCredit", "dispute", "resolveDispute", "creditNote", "accountUpdate",
    ];

    /// <summary>The events <see cref="ReadLedgerEvents"/> accepts: what happens to receivables, outside Salesforce's orders.</summary>
    public static IReadOnlyList<string> LedgerEventTypes { get; } = ["payment", "paymentReversal", "refund", "applyCredit", "dispute", "resolveDispute", "creditNote"];

    private static readonly string[] AccountFields =
        ["id", "name", "billingDayOfMonth", "paymentTerms", "taxId", "country", "street", "city", "postalCode", "currency", "invoiceBatch"];

    public static Scenario Read(string json)
    {
        using (var document = Parse(json))
        {
            var problems = new List<string>();
            var root = new JsonNode(document.RootElement, "$", problems);
            var scenario = ReadRoot(root, problems);
            if (problems.Count > 0 || scenario is null)
            {
                throw new ScenarioException(problems.Count > 0 ? problems : ["$: the scenario is empty."]);
            }

            return scenario;
        }
    }

    /// <summary>
    /// Reads receivables events (payments, reversals, refunds, credit applications, disputes and their resolution, credit
    /// notes) for the stored book, in the scenario format. Every event names its <c>account</c>, one of
    /// <paramref name="accounts"/>; payments and disputes carry their own <c>id</c> (the bank reference, the case number).
    /// </summary>
    public static IReadOnlyList<ScenarioStep> ReadLedgerEvents(string json, IReadOnlyDictionary<string, Currency> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        using var document = Parse(json);
        var problems = new List<string>();
        var root = new JsonNode(document.RootElement, "$", problems);
        var steps = new List<ScenarioStep>();
        if (root.ExpectObject("about", "events"))
        {
            var known = new Known(
                accounts.ToDictionary(a => a.Key, a => new BookAccount { Id = a.Key, Name = a.Key, Currency = a.Value }, StringComparer.Ordinal),
                accounts.Values.FirstOrDefault() ?? Currency.Eur) { LedgerMode = true };
            steps.AddRange(root.Array("events", required: true).Select(node => ReadEvent(node, known)).Where(s => s is not null).Select(s => s!));
        }

        return problems.Count > 0 ? throw new ScenarioException(problems) : steps;
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"$ (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})", $"not valid JSON: {e.Message.Split(" LineNumber", 2)[0]}");
        }
    }

    private static Scenario? ReadRoot(JsonNode root, List<string> problems)
    {
        if (!root.ExpectObject("about", "settings", "accounts", "events", "forecast"))
        {
            return null;
        }

        var (settings, asOf) = root.Has("settings") ? ReadSettings(root.Child("settings")) : (new BookSettings(), null);
        var accounts = new List<BookAccount>();
        foreach (var node in root.Array("accounts", required: true))
        {
            if (ReadAccount(node, null) is { } account)
            {
                if (accounts.Exists(a => a.Id == account.Id))
                {
                    node.Problem($"account id '{account.Id}' is used twice.");
                    continue;
                }

                accounts.Add(account);
            }
        }

        var known = new Known(accounts.ToDictionary(a => a.Id, StringComparer.Ordinal), settings.Currency);
        var steps = root.Array("events", required: true).Select(node => ReadEvent(node, known)).Where(s => s is not null).Select(s => s!).ToList();
        ForecastRequest? forecast = null;
        if (root.Has("forecast"))
        {
            var node = root.Child("forecast");
            if (node.ExpectObject("from", "months", "byAccount"))
            {
                forecast = new ForecastRequest(node.Date("from"), node.Int("months", 1, 120, required: true) ?? 12, node.Bool("byAccount"));
            }
        }

        return problems.Count > 0 ? null : new Scenario(settings, accounts, steps, asOf, forecast);
    }

    private static (BookSettings, DateOnly?) ReadSettings(JsonNode node)
    {
        var settings = new BookSettings();
        if (!node.ExpectObject("currency", "proration", "taxRounding", "invoiceSeries", "creditNoteSeries", "asOf", "seller"))
        {
            return (settings, null);
        }

        if (ReadCurrency(node, "currency") is { } currency)
        {
            settings = settings with { Currency = currency };
        }

        if (node.Enum<ProrationMethod>("proration") is { } proration)
        {
            settings = settings with { Proration = proration };
        }

        if (node.Enum<TaxRounding>("taxRounding") is { } rounding)
        {
            settings = settings with { TaxRounding = rounding };
        }

        if (ReadSeries(node, "invoiceSeries") is { } invoices)
        {
            settings = settings with { InvoiceSeries = invoices };
        }

        if (ReadSeries(node, "creditNoteSeries") is { } notes)
        {
            settings = settings with { CreditNoteSeries = notes };
        }

        if (node.Has("seller"))
        {
            var seller = node.Child("seller");
            if (seller.ExpectObject("name", "taxId", "street", "city", "postalCode", "country"))
            {
                settings = settings with
                {
                    Seller = new Party(seller.String("name", required: true) ?? "Seller", seller.String("taxId"), seller.String("street"), seller.String("city"), seller.String("postalCode"), seller.String("country")),
                };
            }
        }

        return (settings, node.Date("asOf"));
    }

    private static NumberSeries? ReadSeries(JsonNode node, string key)
    {
        var text = node.String(key);
        if (text is null)
        {
            return null;
        }

        if (NumberSeries.IsValid(text))
        {
            return new NumberSeries(text);
        }

        node.Problem(key, $"'{text}' is not allowed; use 1-20 letters, digits, '-', '_' or '/', optionally with {NumberSeries.YearToken} for one series per year (\"INV-{NumberSeries.YearToken}\").");
        return null;
    }

    private static Currency? ReadCurrency(JsonNode node, string key)
    {
        var code = node.String(key);
        if (code is null)
        {
            return null;
        }

        if (Currency.IsKnown(code))
        {
            return Currency.Of(code);
        }

        node.Problem(key, $"'{code}' is not a supported ISO 4217 currency code (upper case, such as EUR, USD, JPY).");
        return null;
    }

    /// <summary>An account, or (with <paramref name="current"/>) an update that keeps what it does not name.</summary>
    private static BookAccount? ReadAccount(JsonNode node, BookAccount? current)
    {
        if (!node.ExpectObject(current is null ? AccountFields : [.. AccountFields.Where(f => f != "id"), "on", "type", "account"]))
        {
            return null;
        }

        var id = current?.Id ?? node.String("id", required: true);
        var name = node.String("name", required: current is null) ?? current?.Name;
        if (id is null || name is null)
        {
            return null;
        }

        return new BookAccount
        {
            Id = id,
            Name = name,
            BillingDayOfMonth = node.Int("billingDayOfMonth", 1, 31) ?? current?.BillingDayOfMonth ?? 1,
            PaymentTerms = node.Has("paymentTerms") ? ReadTerms(node) ?? PaymentTerms.Net(30) : current?.PaymentTerms ?? PaymentTerms.Net(30),
            TaxId = node.String("taxId") ?? current?.TaxId,
            Country = node.String("country") ?? current?.Country,
            Street = node.String("street") ?? current?.Street,
            City = node.String("city") ?? current?.City,
            PostalCode = node.String("postalCode") ?? current?.PostalCode,
            Currency = ReadCurrency(node, "currency") ?? current?.Currency,
            InvoiceBatch = node.String("invoiceBatch") ?? current?.InvoiceBatch,
        };
    }

    private static PaymentTerms? ReadTerms(JsonNode node)
    {
        var value = node.Child("paymentTerms");
        if (value.Element.ValueKind == JsonValueKind.String)
        {
            var text = value.Element.GetString();
            var terms = PaymentTerms.TryParse(text);
            if (terms is null)
            {
                value.Problem($"'{text}' is not allowed; use DueOnReceipt, NetN (Net15, Net30, Net60, ...) or {{ \"installments\": [ {{ \"percent\": \"30\", \"afterDays\": 15 }}, ... ] }}.");
            }

            return terms;
        }

        if (!value.ExpectObject("installments"))
        {
            return null;
        }

        var rules = new List<InstallmentRule>();
        foreach (var item in value.Array("installments", required: true))
        {
            if (item.ExpectObject("percent", "afterDays")
                && item.Decimal("percent", required: true, min: 0.000001m, max: 100m, bounds: "a percent above 0 and at most 100") is { } percent
                && item.Int("afterDays", 0, 3650, required: true) is { } days)
            {
                rules.Add(new InstallmentRule(percent, days));
            }
        }

        try
        {
            return rules.Count == 0 ? null : PaymentTerms.Installments(rules);
        }
        catch (ArgumentException e)
        {
            value.Problem(e.Message.Split(" (Parameter", 2)[0]);
            return null;
        }
    }

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
            _ => null,
        };
        return apply is null ? null : new ScenarioStep(node.Path, day, type, apply) { AccountId = accountId };
    }

    private static bool Expect(JsonNode node, string[] fields) => node.ExpectObject(["on", "type", .. fields]);

    private static string? Line(JsonNode node, Known known, string key = "line")
    {
        var id = node.String(key, required: true);
        if (id is not null && !known.Lines.Contains(id))
        {
            node.Problem($"{key} '{id}' is not a line of any earlier order event.");
            return null;
        }

        return id;
    }

    private static BookAccount? Account(JsonNode node, Known known)
    {
        var id = node.String("account", required: true);
        if (id is null)
        {
            return null;
        }

        if (known.Accounts.TryGetValue(id, out var account))
        {
            return account;
        }

        var suggestion = JsonNode.Suggest(id, known.Accounts.Keys);
        node.Problem($"account '{id}' is not in $.accounts{(suggestion is null ? "" : $"; did you mean '{suggestion}'?")}.");
        return null;
    }

    private static Amount? Money(JsonNode node, string key, Currency currency, bool required = true)
    {
        if (node.Decimal(key, required) is not { } value)
        {
            return null;
        }

        if (!Amount.TryExact(value, currency, out var amount))
        {
            node.Problem(key, $"{value} has more decimals than {currency.Code} has ({currency.MinorDigits}).");
            return null;
        }

        if (!amount.IsPositive)
        {
            node.Problem(key, $"must be a positive amount; found {value}.");
            return null;
        }

        return amount;
    }

    private static Action<BillingBook>? ReadOrder(JsonNode node, Known known)
    {
        if (!Expect(node, ["account", "order", "amends", "lines", "currency", "invoiceBatch"]))
        {
            return null;
        }

        var account = Account(node, known);
        var order = node.String("order", required: true);
        var amends = node.String("amends");
        var currency = ReadCurrency(node, "currency");
        var batch = node.String("invoiceBatch");
        var lines = new List<NewLine>();
        var revisions = new List<Revision>();
        foreach (var item in node.Array("lines", required: true))
        {
            if (item.Has("revises"))
            {
                if (ReadRevision(item, known) is { } revision)
                {
                    revisions.Add(revision);
                }
            }
            else if (ReadLine(item) is { } line)
            {
                lines.Add(line);
            }

            if (item.String("id") is { } id && !known.Lines.Add(id))
            {
                item.Problem($"line id '{id}' is already used by an earlier line; every line, amendments included, needs its own id.");
            }
        }

        if (revisions.Count > 0 && amends is null)
        {
            node.Problem("lines that revise earlier lines belong to an amending order; name the amended order in 'amends'.");
        }

        if (account is null || order is null)
        {
            return null;
        }

        return book =>
        {
            if (lines.Count > 0)
            {
                book.AddOrder(account.Id, order, lines, currency, batch);
            }

            if (revisions.Count > 0)
            {
                book.Amend(order, revisions);
            }
        };
    }

    private static NewLine? ReadLine(JsonNode item)
    {
        if (!item.ExpectObject("id", "product", "chargeType", "billingFrequency", "billingType", "unitPrice", "quantity", "start", "end",
                "taxRate", "taxExemptReason", "withholdingRate", "reason"))
        {
            return null;
        }

        var id = item.String("id", required: true);
        var product = item.String("product", required: true);
        var chargeType = item.Enum<ChargeType>("chargeType", required: true);
        var frequency = item.Enum<BillingFrequency>("billingFrequency", required: chargeType == ChargeType.Recurring);
        var timing = item.Enum<BillingTiming>("billingType") ?? BillingTiming.Advance;
        var price = item.Decimal("unitPrice", required: true);
        var quantity = item.Decimal("quantity", required: true, min: 0m, max: Connector.Invoicing.Money.BillingLimits.MaxQuantity, bounds: "a quantity is from 0 to 1000000000; lower a quantity with an amending order");
        var start = item.Date("start", required: true);
        var end = item.Date("end");
        var taxRate = item.Decimal("taxRate", min: 0m, max: 100m, bounds: "a VAT rate is a percent from 0 to 100") ?? 0m;
        var exempt = item.String("taxExemptReason");
        var withholding = item.Decimal("withholdingRate", min: 0m, max: 100m, bounds: "a withholding rate is a percent from 0 to 100") ?? 0m;
        if (price < 0m && item.String("reason") is null)
        {
            item.Problem($"unitPrice {price} is negative; a negative price (a discount or a goodwill line) needs a 'reason'.");
        }

        if (exempt is not null && taxRate != 0m)
        {
            item.Problem($"taxExemptReason is only for zero-rated lines; this line's taxRate is {taxRate}.");
        }

        if (chargeType == ChargeType.OneTime && item.Has("billingFrequency"))
        {
            item.Problem("a OneTime line has no billingFrequency; remove it or make the line Recurring.");
        }

        if (start is { } s && end is { } e && e < s)
        {
            item.Problem($"end {e:yyyy-MM-dd} is before start {s:yyyy-MM-dd}; service periods are inclusive at both ends.");
        }

        if (id is null || product is null || chargeType is null || price is null || quantity is null || start is null)
        {
            return null;
        }

        return new NewLine
        {
            Id = id, Product = product, ChargeType = chargeType.Value, Frequency = frequency, Timing = timing, UnitPrice = price.Value,
            Quantity = quantity.Value, Start = start.Value, End = end, TaxRate = taxRate, TaxExemptReason = exempt, WithholdingPercent = withholding,
        };
    }

    private static Revision? ReadRevision(JsonNode item, Known known)
    {
        if (!item.ExpectObject("id", "revises", "quantity", "start", "unitPrice"))
        {
            return null;
        }

        var id = item.String("id", required: true);
        var revises = Line(item, known, "revises");
        var quantity = item.Decimal("quantity", required: true, min: 0m, max: Connector.Invoicing.Money.BillingLimits.MaxQuantity, bounds: "the revised line's new total quantity is from 0 to 1000000000");
        var start = item.Date("start", required: true);
        var price = item.Decimal("unitPrice");
        return id is null || revises is null || quantity is null || start is null ? null : new Revision(id, revises, quantity.Value, start.Value, price);
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

        return amount is null ? null : book => book.Ledger.RecordPayment(id ?? $"PAY-{book.Ledger.Payments.Count + 1}", account.Id, on, amount, allocations);
    }

    private static Action<BillingBook>? ReadRefund(JsonNode node, Known known, DateOnly on)
    {
        if (!Expect(node, ["account", "amount", "creditNote"]) || Account(node, known) is not { } account)
        {
            return null;
        }

        var amount = Money(node, "amount", account.Currency ?? known.Currency);
        var note = node.String("creditNote");
        return amount is null ? null : book => book.Ledger.RefundCredit(account.Id, note, amount, on);
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

    /// <summary>What earlier parts of the file declared, so references can be checked while reading.</summary>
    private sealed record Known(Dictionary<string, BookAccount> Accounts, Currency Currency)
    {
        public HashSet<string> Lines { get; } = new(StringComparer.Ordinal);

        /// <summary>Reading events for the stored book: only receivables events, each naming its account.</summary>
        public bool LedgerMode { get; init; }
    }
}
