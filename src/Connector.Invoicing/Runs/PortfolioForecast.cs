using Connector.Invoicing.Forecasts;
using Connector.Invoicing.Money;
using Connector.Invoicing.Storage;

namespace Connector.Invoicing.Runs;

/// <summary>
/// The portfolio forecast of the stored orders: the billing book, account batch by account batch, tells what its
/// schedules will bill per month, through the same pieces and amounts invoice runs bill.
/// </summary>
internal sealed class PortfolioForecast(BookStore store)
{
    public async Task<IReadOnlyList<ForecastMonth>> MonthsAsync(DateOnly from, int months, bool byAccount, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<(int Year, int Month, string? Account, string Currency), ForecastMonth>();
        foreach (var batch in (await store.AccountIdsAsync(cancellationToken)).Chunk(InvoiceRunner.AccountsPerBatch))
        {
            var loaded = await store.LoadAsync(batch, cancellationToken);
            foreach (var month in loaded.Book.Forecast(from, months, byAccount))
            {
                var key = (month.Year, month.Month, month.AccountId, month.Currency.Code);
                totals[key] = totals.TryGetValue(key, out var sum) ? sum with { Net = sum.Net + month.Net, UsageEstimate = sum.UsageEstimate + month.UsageEstimate } : month;
            }
        }

        return
        [
            .. totals.Values.OrderBy(m => m.Year).ThenBy(m => m.Month).ThenBy(m => m.AccountId, StringComparer.Ordinal).ThenBy(m => m.Currency.Code, StringComparer.Ordinal),
        ];
    }

    /// <summary>Each currency's total over the forecast.</summary>
    public static IReadOnlyList<Amount> Totals(IEnumerable<ForecastMonth> months) =>
        [.. months.GroupBy(m => m.Currency).OrderBy(g => g.Key.Code, StringComparer.Ordinal).Select(g => Amount.Sum(g.Select(m => m.Net), g.Key))];
}
