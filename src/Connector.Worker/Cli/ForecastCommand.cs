using System.CommandLine;
using System.Globalization;
using Connector.Invoicing.Runs;
using Connector.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Connector.Worker.Cli;

/// <summary>
/// <c>connector forecast --months 12 [--by-account] [--from yyyy-MM]</c>: what the stored orders' schedules will bill
/// per month (net of tax), from the same engine and amounts invoice runs use; nothing is written.
/// </summary>
internal static class ForecastCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var months = new Option<int>("--months") { Description = "How many months to forecast (1-120).", DefaultValueFactory = _ => 12 };
        var byAccount = new Option<bool>("--by-account") { Description = "One row per account and month instead of one per month." };
        var from = new Option<string?>("--from") { Description = "First month, yyyy-MM. Default: the current month in the billing time zone." };
        var command = new Command("forecast", "Print what active schedules will bill per month (previsión de cartera), from the stored orders; what is due and not yet billed falls in the first month.") { months, byAccount, from };
        command.SetAction((result, cancellationToken) => CommandGuard.RunAsync(error, async () =>
        {
            var count = result.GetValue(months);
            if (count is < 1 or > 120)
            {
                await error.WriteLineAsync($"--months = '{count}' is not allowed: use 1 to 120.");
                return ExitCodes.BadInput;
            }

            using var host = ConnectorHost.Build(local: true);
            await ConnectorHost.PrepareAsync(host, cancellationToken);
            DateOnly first;
            if (result.GetValue(from) is { } text)
            {
                if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first))
                {
                    await error.WriteLineAsync($"--from = '{text}' is not allowed: use yyyy-MM, such as 2027-01.");
                    return ExitCodes.BadInput;
                }
            }
            else
            {
                var today = host.Services.GetRequiredService<BillingClock>().Today();
                first = new DateOnly(today.Year, today.Month, 1);
            }

            var forecast = await host.Services.GetRequiredService<PortfolioForecast>().MonthsAsync(first, count, result.GetValue(byAccount), cancellationToken);
            var names = await host.Services.GetRequiredService<Connector.Invoicing.Storage.BookStore>().AccountNamesAsync(cancellationToken);
            // Usage is an estimate (each usage line's last three billed periods), printed in its own column, never in the committed figure.
            var usage = forecast.Any(m => !m.UsageEstimate.IsZero);
            if (usage)
            {
                await output.WriteLineAsync($"month    {"",-30} {"committed",16}     {"usage (estimate)",16}");
            }

            foreach (var month in forecast)
            {
                var who = month.AccountId is { } id ? ReportPrinter.Column(names.GetValueOrDefault(id, id), 30) : "all accounts";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{month.Year:0000}-{month.Month:00}  {who,-30} {month.Net.ToPlainString(),16} {month.Currency.Code}{(usage ? $" {month.UsageEstimate.ToPlainString(),16}" : "")}"));
            }

            var estimates = forecast.GroupBy(m => m.Currency.Code).ToDictionary(g => g.Key, g => Connector.Invoicing.Money.Amount.Sum(g.Select(m => m.UsageEstimate), g.First().Currency));
            foreach (var total in PortfolioForecast.Totals(forecast))
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"total    {"",-30} {total.ToPlainString(),16} {total.Currency.Code}{(usage ? $" {estimates[total.Currency.Code].ToPlainString(),16}" : "")}"));
            }

            await host.StopAsync(cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }
}
