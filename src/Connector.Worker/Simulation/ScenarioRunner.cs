using Connector.Invoicing.Billing;
using Connector.Invoicing.Receivables;

namespace Connector.Worker.Simulation;

/// <summary>
/// Runs a scenario through the billing engine, event by event in file order, on a book that lives only in memory.
/// An event the rules refuse stops the run with its JSON path and the reason.
/// </summary>
internal static class ScenarioRunner
{
    public static SimulationResult Run(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var book = new BillingBook(scenario.Settings);
        foreach (var account in scenario.Accounts)
        {
            book.SetAccount(account);
        }

        foreach (var step in scenario.Steps)
        {
            try
            {
                step.Apply(book);
            }
            catch (BillingRuleException e)
            {
                throw new ScenarioException(step.Path, $"{step.Type} on {step.On:yyyy-MM-dd}: {e.Message}");
            }
            catch (ArithmeticException)
            {
                // Each value is within range; their product is not (a price times a quantity beyond any amount).
                throw new ScenarioException(step.Path, $"{step.Type} on {step.On:yyyy-MM-dd}: the amounts it bills are beyond what billing computes (at most {Connector.Invoicing.Money.BillingLimits.MaxAmount.ToString(System.Globalization.CultureInfo.InvariantCulture)} per line); lower the price or the quantity.");
            }
        }

        var asOf = scenario.AsOf ?? (scenario.Steps.Count > 0 ? scenario.Steps.Max(s => s.On) : DateOnly.FromDayNumber(0));
        var forecast = scenario.Forecast is { } f
            ? book.Forecast(f.From ?? asOf, f.Months, f.ByAccount)
            : null;
        return new SimulationResult(book, asOf, forecast);
    }
}

/// <summary>The book after the last event, the day balances are taken on, and the forecast when one was asked for.</summary>
internal sealed record SimulationResult(BillingBook Book, DateOnly AsOf, IReadOnlyList<Connector.Invoicing.Forecasts.ForecastMonth>? Forecast);
