using System.Text.Json;
using Connector.Invoicing.Billing;
using Connector.Invoicing.Invoices;
using Connector.Invoicing.Money;
using Connector.Invoicing.Numbering;
using Connector.Invoicing.Schedules;
using Connector.Invoicing.Terms;

namespace Connector.Worker.Simulation;

/// <summary>
/// Reads a scenario file (see docs/scenario-format.md) strictly: unknown fields, wrong types, bad dates, unknown enum
/// values and references to accounts or lines that do not exist are all reported at once, each with its JSON path.
/// </summary>
internal static partial class ScenarioReader
{
    private static readonly string[] EventTypes =
    [
        "order", "invoiceRun", "hold", "release", "cancel", "nextBillingDate", "billNow", "payment", "paymentReversal",
        "refund", "applyCredit", "dispute", "resolveDispute", "creditNote", "accountUpdate", "usage",
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

    /// <summary>What earlier parts of the file declared, so references can be checked while reading.</summary>
    private sealed record Known(Dictionary<string, BookAccount> Accounts, Currency Currency)
    {
        public HashSet<string> Lines { get; } = new(StringComparer.Ordinal);

        /// <summary>Reading events for the stored book: only receivables events, each naming its account.</summary>
        public bool LedgerMode { get; init; }
    }
}
