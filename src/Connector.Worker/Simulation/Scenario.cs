using Connector.Invoicing.Billing;

namespace Connector.Worker.Simulation;

/// <summary>A checked scenario: the book's settings, the accounts, and the events as steps to apply in file order.</summary>
internal sealed record Scenario(
    BookSettings Settings,
    IReadOnlyList<BookAccount> Accounts,
    IReadOnlyList<ScenarioStep> Steps,
    DateOnly? AsOf,
    ForecastRequest? Forecast);

/// <summary>One event: its JSON path (for errors), its date, and what it does to the book.</summary>
internal sealed record ScenarioStep(string Path, DateOnly On, string Type, Action<BillingBook> Apply)
{
    /// <summary>The account the event names, when it names one.</summary>
    public string? AccountId { get; init; }
}

/// <summary>Print what the schedules will bill per month, from <see cref="From"/> for <see cref="Months"/> months.</summary>
internal sealed record ForecastRequest(DateOnly? From, int Months, bool ByAccount);
